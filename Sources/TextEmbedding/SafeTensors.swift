import Classification
import JSONCore

/// The float32 tensors of a `.safetensors` file (8-byte little-endian header length, a JSON header
/// of name → dtype, shape and byte range, then the data). Other dtypes are skipped.
public struct SafeTensors: Sendable {
    public struct Tensor: Sendable {
        public var shape: [Int]
        public var values: [Float]
    }
    public private(set) var tensors: [String: Tensor] = [:]

    public init(bytes: [UInt8]) throws(EmbeddingError) {
        guard bytes.count >= 8 else { throw .invalidWeights("safetensors: shorter than its 8-byte header length") }
        var headerLength = 0
        for k in 0..<8 { headerLength |= Int(bytes[k]) << (8 * k) }
        guard headerLength > 0, headerLength <= bytes.count - 8 else { throw .invalidWeights("safetensors: header length \(headerLength) exceeds the file") }
        let header: JSONValue
        do { header = try JSONParser.parse(bytes[8..<(8 + headerLength)]) } catch {
            throw .invalidWeights("safetensors: header is not JSON: \(error)")
        }
        guard let entries = header.objectValue else { throw .invalidWeights("safetensors: header is not an object") }
        let dataStart = 8 + headerLength
        for (name, entry) in entries.members where name != "__metadata__" {
            guard entry["dtype"]?.stringValue == "F32" else { continue }
            let shape = (entry["shape"]?.arrayValue ?? []).compactMap { v -> Int? in if case .number(let t) = v { Int(t) } else { nil } }
            let range = (entry["data_offsets"]?.arrayValue ?? []).compactMap { v -> Int? in if case .number(let t) = v { Int(t) } else { nil } }
            let count = shape.reduce(1, *)
            guard range.count == 2, range[0] >= 0, range[1] - range[0] == count * 4, dataStart + range[1] <= bytes.count else {
                throw .invalidWeights("safetensors: tensor \(name) has a byte range that does not fit its shape \(shape) or the file")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { out in
                bytes.withUnsafeBytes { raw in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[(dataStart + range[0])..<(dataStart + range[1])])) }
            }
            #if _endian(big)
            values = values.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
            #endif
            tensors[name] = Tensor(shape: shape, values: values)
        }
    }

    /// The tensor of this name and shape, or an error naming what is missing.
    public func tensor(_ name: String, shape: [Int]) throws(EmbeddingError) -> [Float] {
        guard let t = tensors[name] else { throw .invalidWeights("safetensors: no float32 tensor \(name)") }
        guard t.shape == shape else { throw .invalidWeights("safetensors: tensor \(name) has shape \(t.shape), expected \(shape)") }
        return t.values
    }
}
