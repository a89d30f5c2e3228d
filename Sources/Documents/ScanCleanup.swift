/// Image clean-up before OCR, on 8-bit grey pixels: what a scanner or fax leaves that Tesseract
/// reads as characters (`a`, `Ss`, `“`, `°` between the words, or glued to them).
///
/// `despeckle` removes impulse noise (isolated dark or light pixels: dust, fax speckle) at the
/// scan's own resolution, before it is scaled up and each speck grows into a blob. A pixel is a
/// speck when it is much darker (or lighter) than all eight of its neighbours; a pixel of a glyph
/// always has a neighbour of its own ink, so strokes one pixel wide survive.
///
/// (Erasing table rules before recognition was tried and measured worse: on skewed scans a rule
/// erased run by run leaves fragments that join the words, where Tesseract ignores a whole rule.)
enum ScanCleanup {
    /// Darkness difference that makes a pixel a speck.
    static let speckContrast = 60

    static func despeckle(_ img: inout GrayImage) {
        let w = img.width, h = img.height
        guard w >= 3, h >= 3, img.pixels.count == w * h else { return }
        let src = img.pixels
        img.pixels.withUnsafeMutableBufferPointer { dst in
            src.withUnsafeBufferPointer { s in
                for y in 1..<(h - 1) {
                    let row = y * w
                    for x in 1..<(w - 1) {
                        let i = row + x
                        let v = Int(s[i])
                        let a = Int(s[i - w - 1]), b = Int(s[i - w]), c = Int(s[i - w + 1]), d = Int(s[i - 1])
                        let e = Int(s[i + 1]), f = Int(s[i + w - 1]), g = Int(s[i + w]), k = Int(s[i + w + 1])
                        let lo = min(min(min(a, b), min(c, d)), min(min(e, f), min(g, k)))
                        let hi = max(max(max(a, b), max(c, d)), max(max(e, f), max(g, k)))
                        guard v < lo - speckContrast || v > hi + speckContrast else { continue }
                        let nb = [a, b, c, d, e, f, g, k].sorted()
                        dst[i] = UInt8((nb[3] + nb[4]) / 2)
                    }
                }
            }
        }
    }
}
