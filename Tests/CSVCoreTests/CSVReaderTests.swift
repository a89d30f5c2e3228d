import CSVCore
import Testing

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsLineBreaksAndCRLF() throws {
        let text = "\u{FEFF}code,description,note\r\n0101,\"Horses, asses\",\"say \"\"hi\"\"\"\r\n0102,\"two\nlines\",\r\n\r\n0103,last,x"
        let csv = try CSVReader(text)
        #expect(csv.header == ["code", "description", "note"])
        #expect(csv.rows.count == 3)
        #expect(csv.rows[0].fields == ["0101", "Horses, asses", "say \"hi\""])
        #expect(csv.rows[1].fields == ["0102", "two\nlines", ""])
        #expect(csv.rows[1].line == 3)
        #expect(csv.rows[2].line == 6)
        #expect(csv.records()[2].values["description"] == "last")
    }

    /// The byte reader (ASCII separators) and the scalar reader (any other separator) read the same rows.
    @Test func theByteAndScalarReadersAgree() throws {
        let texts = [
            "\u{FEFF}code,description,note\r\n0101,\"Horses, asses\",\"say \"\"hi\"\"\"\r\n0102,\"two\nlines\",\r\n\r\n0103,last,x",
            "a,b\rc,d\r\n\"\",\n\"\"\n,\nx\"y,\"q\"z,Zürich – 東京 🐎\n",
            "only", "", "\n\n1,2,\n", "\"a\r\nb\",c\r\n",
        ]
        for text in texts {
            let bytes = try CSVReader(text, hasHeader: false)
            // Every comma becomes the separator "¦", quoted ones too; mapped back, the rows are the same.
            let scalars = try CSVReader(String(text.map { $0 == "," ? "¦" : $0 }), hasHeader: false, separator: "¦")
            #expect(bytes.rows.map(\.line) == scalars.rows.map(\.line), "\(text.debugDescription)")
            #expect(bytes.rows.map(\.fields) == scalars.rows.map { $0.fields.map { String($0.map { $0 == "¦" ? "," : $0 }) } }, "\(text.debugDescription)")
            #expect(!bytes.rows.isEmpty || text.isEmpty)
        }
        #expect(try CSVReader("x,y\n1,\"é, ü\"\n").rows[0].fields == ["1", "é, ü"])
        #expect(try CSVReader("a\tb\n1\t2\n", separator: "\t").rows[0].fields == ["1", "2"])
    }

    @Test func reportsUnclosedQuoteWithItsLine() {
        #expect {
            _ = try CSVReader("a,b\n1,\"open\n2,3\n")
        } throws: { error in
            (error as? CSVReader.ParseError)?.line == 2
        }
    }
}

@Suite struct CSVBytesTests {
    @Test func fieldsDecodeByTheChosenEncodingAndKeepWhetherTheyWereQuoted() throws {
        let bytes: [UInt8] = Array("a,\"b,\"\"c\"\"\"\r\n".utf8) + [0x4A, 0xC3, 0xA9, 0x2C, 0xE9, 0x0A, 0x1A]
        let rows = try CSVBytes.rows(bytes, encoding: .utf8ElseLatin1, ignoring: [0x1A])
        #expect(rows.map(\.line) == [1, 2])
        #expect(rows[0].fields == [.init(text: "a", quoted: false), .init(text: "b,\"c\"", quoted: true)])
        #expect(rows[1].fields.map(\.text) == ["Jé", "é"])
        #expect(try CSVBytes.rows(bytes, encoding: .latin1, ignoring: [0x1A])[1].fields.map(\.text) == ["JÃ©", "é"])
        #expect(throws: CSVReader.ParseError.self) { try CSVBytes.rows(Array("a,\"b".utf8), encoding: .utf8) }
    }
}
