@testable import Documents
import Testing

/// Table rules are erased before OCR; glyphs inside the cells, and those touching a rule, stay.
@Suite struct ScanCleanupTests {
    /// A 100 DPI page: white, with a ruled 2 × 2 grid, a glyph-like ring in one cell, a stroke
    /// standing on a rule, and a row of short dashes (text-like ink that is long only as a row).
    struct Page {
        var image: GrayImage
        static let ink: UInt8 = 20

        init() {
            image = GrayImage(width: 600, height: 400, dpi: 100, pixels: [UInt8](repeating: 250, count: 600 * 400))
            for y in [50, 150, 250] { fill(x: 20..<582, y: y..<(y + 2)) }
            for x in [20, 300, 580] { fill(x: x..<(x + 2), y: 50..<252) }
            // A ring like an `O`, 14 × 18 with 3 px strokes, in the top-left cell.
            fill(x: 100..<114, y: 90..<108)
            for y in 93..<105 { for x in 103..<111 { set(x, y, 250) } }
            // An `l` 3 px wide and 20 tall whose foot stands on the middle rule.
            fill(x: 450..<453, y: 130..<150)
            // Dashes 2 px thick, 6 long, 3 apart, across 250 px of the bottom-left cell.
            for x in stride(from: 40, to: 290, by: 9) { fill(x: x..<(x + 6), y: 200..<202) }
        }

        mutating func fill(x: Range<Int>, y: Range<Int>) {
            for yy in y { for xx in x { set(xx, yy, Self.ink) } }
        }

        mutating func set(_ x: Int, _ y: Int, _ v: UInt8) { image.pixels[y * image.width + x] = v }
        func at(_ x: Int, _ y: Int) -> UInt8 { image.pixels[y * image.width + x] }
    }

    @Test func theGridGoesAndTheGlyphsStay() {
        var page = Page()
        let before = page.image.pixels
        #expect(ScanCleanup.eraseRules(&page.image, dpi: 100))
        // Every rule pixel away from the standing stroke is paper again, crossings included.
        for y in [50, 51, 150, 151, 250, 251] {
            for x in 20..<582 where !(450...452).contains(x) { #expect(page.at(x, y) > 200, "rule pixel \(x),\(y) kept") }
        }
        for x in [20, 21, 300, 301, 580, 581] {
            for y in 50..<252 { #expect(page.at(x, y) > 200, "rule pixel \(x),\(y) kept") }
        }
        // The ring, the stroke (and the rule under its foot) and the dashes are untouched.
        for y in 90..<108 { for x in 100..<114 { #expect(page.at(x, y) == before[y * 600 + x], "ring pixel \(x),\(y) changed") } }
        for y in 130..<152 { for x in 450..<453 { #expect(page.at(x, y) == Page.ink, "stroke pixel \(x),\(y) erased") } }
        for x in stride(from: 40, to: 290, by: 9) { #expect(page.at(x, 200) == Page.ink && page.at(x + 5, 201) == Page.ink, "dash at \(x) erased") }
    }

    /// What `TesseractOCR` runs: the column rules go, the row rules stay.
    @Test func onlyTheVerticalRulesGoWhenAsked() {
        var page = Page()
        #expect(ScanCleanup.eraseRules(&page.image, dpi: 100, directions: .vertical))
        for x in [20, 21, 300, 301, 580, 581] {
            for y in 52..<250 where !(150...151).contains(y) { #expect(page.at(x, y) > 200, "vertical rule pixel \(x),\(y) kept") }
        }
        for y in [50, 51, 150, 151, 250, 251] {
            for x in 22..<580 where x != 300 && x != 301 { #expect(page.at(x, y) == Page.ink, "horizontal rule pixel \(x),\(y) erased") }
        }
        for y in 90..<108 { #expect(page.at(100, y) == Page.ink && page.at(113, y) == Page.ink, "ring side at \(y) erased") }
    }

    @Test func aPageWithoutRulesIsLeftAlone() {
        var page = Page()
        for y in [50, 51, 150, 151, 250, 251] { for x in 20..<582 { page.set(x, y, 250) } }
        for x in [20, 21, 300, 301, 580, 581] { for y in 50..<252 { page.set(x, y, 250) } }
        page.fill(x: 450..<453, y: 150..<152)
        let before = page.image.pixels
        #expect(!ScanCleanup.eraseRules(&page.image, dpi: 100))
        #expect(page.image.pixels == before)
    }

    /// A table header printed white on black becomes black on paper; a bold title of solid-looking
    /// strokes beside it is no band and is left alone.
    @Test func aDarkHeaderBandIsInvertedAndABoldTitleIsNot() {
        var page = Page()
        for y in 0..<400 { for x in 0..<600 { page.set(x, y, 250) } }
        // A band 400 × 40 px (4 × 0.4 inch at 100 DPI) with white "letters": bars 4 px wide, 4 apart, 16 tall.
        page.fill(x: 100..<500, y: 300..<340)
        for x in stride(from: 120, to: 480, by: 8) { for y in 312..<328 { for xx in x..<(x + 4) { page.set(xx, y, 250) } } }
        // A bold title: strokes 6 px wide, 2 apart, 16 tall, across 300 px, no solid rows.
        for x in stride(from: 100, to: 400, by: 8) { page.fill(x: x..<(x + 6), y: 100..<116) }
        let title = (100..<116).map { y in (100..<400).map { page.at($0, y) } }
        #expect(ScanCleanup.invertDarkBands(&page.image, dpi: 100))
        #expect(page.at(300, 302) > 200 && page.at(110, 338) > 200, "the band's ground stays dark")
        #expect(page.at(121, 320) < 50, "a white letter stays white")
        #expect(page.at(50, 320) > 200 && page.at(550, 320) > 200, "paper beside the band turned dark")
        #expect((100..<116).map { y in (100..<400).map { page.at($0, y) } } == title)
        var plain = Page()
        for y in 0..<400 { for x in 0..<600 { plain.set(x, y, 250) } }
        for x in stride(from: 100, to: 400, by: 8) { plain.fill(x: x..<(x + 6), y: 100..<116) }
        #expect(!ScanCleanup.invertDarkBands(&plain.image, dpi: 100))
    }
}
