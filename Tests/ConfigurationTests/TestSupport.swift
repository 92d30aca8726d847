import Config
import Foundation

/// The required part of a configuration, with the given YAML added at the top level.
func yaml(
    source: String = "url: postgresql://inmigration@127.0.0.1:5432/customer",
    tables: String = """
          - table: in_department
            bo: Department
            externalId: external_id
            systemFields: [name]
        """,
    mappingExtra: String = "",
    _ extra: String = ""
) -> String {
    """
    source:
      \(source)
    \(extra)
    mapping:
      \(mappingExtra)
      tables:
    \(tables)
    """
}

/// The error loading `text` produces, or `nil` when it loads.
func loadError(
    _ text: String, file: String = "test.yaml", environment: [String: String] = [:]
) -> ConfigurationError? {
    do {
        _ = try ConfigurationLoader.load(yaml: text, file: file, environment: environment)
        return nil
    } catch {
        return error
    }
}

/// A fixture file copied into the test bundle.
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return url.path
}

/// `config/inmigration.example.yaml`, found from this source file.
let exampleFile = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("config/inmigration.example.yaml").path
