import AdapterKit
import Foundation
import JSONCore
import Mapping
import XMLMessages
import EDIFACT
import EDIFACTMessages

extension ContentRoot {
    /// Loads `Adapters/*.yaml`, every mapping under `Mappings/` and the JSON Schemas under `Schemas/`,
    /// collecting every load error (file:line) instead of stopping at the first.
    public func loadCatalog(
        writers: [any MessageWriter] = [JSONMessageWriter(), XMLMessageWriter(), EDIFACTMessageWriter()],
        readers: [any MessageReader] = [JSONMessageReader(), XMLMessageReader(), EDIFACTMessageReader(), CSVMessageReader()],
        validators: [any MessageValidator]? = nil,
        mappingsDirectory: String = "Mappings", adaptersDirectory: String = "Adapters"
    ) -> (catalog: AdapterCatalog, errors: [MappingError]) {
        var errors: [MappingError] = []
        var mappings: [String: MappingSpec] = [:]
        // Loaded with errors: kept out of the catalog, but still checked against the schemas below.
        var broken: [(String, MappingSpec)] = []
        for relative in files(under: mappingsDirectory, extensions: ["yaml", "yml", "json"]) {
            let display = "\(mappingsDirectory)/\(relative)"
            do {
                let (spec, problems) = MappingLoader().loadReportingAll(try readText(display), file: display)
                errors += problems
                if let spec { if problems.isEmpty { mappings[relative] = spec } else { broken.append((relative, spec)) } }
            } catch {
                errors.append(MappingError(location: SpecLocation(file: display, line: 0, column: 0), field: "", message: "\(error)"))
            }
        }
        var adapters: [String: AdapterDefinition] = [:]
        for relative in files(under: adaptersDirectory, extensions: ["yaml", "yml"]) where !relative.contains("/") {
            let display = "\(adaptersDirectory)/\(relative)"
            do {
                let a = try AdapterLoader().load(try readText(display), file: display)
                if let other = adapters[a.id] {
                    errors.append(MappingError(location: SpecLocation(file: display, line: 1, column: 1), field: "adapter", message: "id \(a.id) is also used by \(other.file)"))
                }
                adapters[a.id] = a
            } catch let e as MappingErrors {
                errors += e.errors
            } catch {
                errors.append(MappingError(location: SpecLocation(file: display, line: 0, column: 0), field: "", message: "\(error)"))
            }
        }
        var schemas: [String: JSONValue] = [:]
        for name in files(under: "Schemas", extensions: ["json"]) where !name.contains("/") {
            do { schemas[name] = try JSONParser.parse(Array(try read("Schemas/\(name)"))) } catch {
                errors.append(MappingError(location: SpecLocation(file: "Schemas/\(name)", line: 0, column: 0), field: "", message: "\(error)"))
            }
        }
        let catalog = AdapterCatalog(
            adapters: adapters, mappings: mappings, schemas: schemas, writers: writers, readers: readers,
            validators: validators ?? defaultValidators(&errors))
        errors += catalog.check()
        // Every problem of a broken mapping in one pass, not one round per fix.
        for (path, spec) in broken { errors += catalog.check(mapping: path, spec).filter { !errors.contains($0) } }
        return (catalog, errors)
    }

    /// The XSD validator and, when the EDIFACT grammars load, the grammar validator.
    private func defaultValidators(_ errors: inout [MappingError]) -> [any MessageValidator] {
        var list: [any MessageValidator] = [XSDValidator(root: self)]
        do { list.append(EDIFACTGrammarValidator(grammars: try loadEdifactGrammars())) } catch {
            errors.append(MappingError(location: SpecLocation(file: "Data/edifact/grammars", line: 0, column: 0), field: "", message: "\(error)"))
        }
        return list
    }

    /// Every grammar file under `Data/edifact/grammars/`.
    public func loadEdifactGrammars() throws -> GrammarSet {
        var list: [Grammar] = []
        for name in files(under: "Data/edifact/grammars", extensions: ["json"]) where !name.contains("/") {
            list.append(try Grammar.load(json: try readText("Data/edifact/grammars/\(name)"), name: name))
        }
        return try GrammarSet(list)
    }

    /// Files under `directory` with one of `extensions`, as paths relative to it, sorted.
    public func files(under directory: String, extensions: Set<String>) -> [String] {
        let base = file(directory)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var out: [String] = []
        let prefix = base.standardizedFileURL.path + "/"
        for case let url as URL in walker where extensions.contains(url.pathExtension) {
            let path = url.standardizedFileURL.path
            if path.hasPrefix(prefix) { out.append(String(path.dropFirst(prefix.count))) }
        }
        return out.sorted()
    }
}
