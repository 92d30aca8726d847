# syntax=docker/dockerfile:1
# The `inmigration` service image, used by docker-compose.yml.
# Build stage: the Swift toolchain and the C libraries' headers. Runtime stage: a slim Debian
# with only the shared libraries the binary links (librdkafka, libpq, libmongoc/libbson).
# Both stages are Debian bookworm, so the library versions match (librdkafka 2.0.2,
# libpq 15, libmongoc 1.23.1).

FROM swift:6.2-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config librdkafka-dev libpq-dev libmongoc-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
# The Swift standard library and Foundation are linked statically; SwiftPM resource bundles
# (the DDL files) are copied next to the binary, where Bundle.module looks for them.
RUN --mount=type=cache,target=/build/.build \
    swift build -c release --product inmigration --static-swift-stdlib \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/inmigration" /staging/ \
    && find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \;

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates tzdata librdkafka1 libpq5 libmongoc-1.0-0 libbson-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --shell /usr/sbin/nologin inmigration
WORKDIR /app
COPY --from=build /staging/ /app/
COPY config/docker.yaml /etc/inmigration/inmigration.yaml
ENV PATH="/app:${PATH}"
USER inmigration
EXPOSE 8080
ENTRYPOINT ["/app/inmigration"]
CMD ["serve", "--config", "/etc/inmigration/inmigration.yaml"]
