import Yams

/// Maps the YAML library's errors onto `ConfigError`, keeping its line and column.
enum YAMLSyntaxError {
    static func configError(_ error: any Error, file: String) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return ConfigError(.yamlSyntax, file: file, line: 1, column: 1, keyPath: "", message: "\(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return ConfigError(
                .yamlSyntax, file: file, line: mark.line, column: mark.column, keyPath: "",
                message: "YAML syntax error: \(problem)\(while_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigError(
                .yamlSyntax, file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                message: "YAML syntax error: duplicate key \(names) in one mapping")
        case .reader(let problem, _, _, _):
            return ConfigError(.yamlSyntax, file: file, line: 1, column: 1, keyPath: "",
                               message: "YAML syntax error: \(problem)")
        default:
            return ConfigError(.yamlSyntax, file: file, line: 1, column: 1, keyPath: "",
                               message: "YAML syntax error: \(yamlError)")
        }
    }
}
