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

    @Test func reportsUnclosedQuoteWithItsLine() {
        #expect {
            _ = try CSVReader("a,b\n1,\"open\n2,3\n")
        } throws: { error in
            (error as? CSVReader.ParseError)?.line == 2
        }
    }
}
