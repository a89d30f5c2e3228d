import CSVCore
import CustomsModel
import JSONCore

extension ContentRoot {
    /// The order schema, destination requirements and HS 2022 table, read once and handed to the
    /// pure validator.
    public func loadOrderValidator() throws -> OrderValidator {
        let schema: JSONSchema
        do { schema = try JSONSchema(text: try readText("Schemas/order.schema.json")) } catch let e as SchemaError {
            throw ContentError.invalid("Schemas/order.schema.json: \(e.message)")
        }
        let requirements: DestinationRequirements
        do { requirements = try DestinationRequirements(json: try readText("Data/rules/destination_requirements.json")) } catch let e as DestinationRequirements.LoadError {
            throw ContentError.invalid("Data/rules/destination_requirements.json: \(e)")
        }
        let nomenclature: HSNomenclature
        do { nomenclature = try HSNomenclature(csv: try readText("Data/hs/hs2022_nomenclature.csv")) } catch let e as CSVReader.ParseError {
            throw ContentError.invalid("Data/hs/hs2022_nomenclature.csv: \(e)")
        }
        return OrderValidator(schema: schema, requirements: requirements, nomenclature: nomenclature)
    }
}
