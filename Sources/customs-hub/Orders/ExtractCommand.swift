import ArgumentParser
import DocumentExtraction
import Documents
import Foundation
import HubContent
import HubServer

/// `customs-hub extract`: reads an invoice, packing list or certificate (PDF or scan) into a draft.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read a commercial invoice, packing list or certificate of origin (PDF, PNG, JPEG, TIFF) into a draft order.",
        discussion: Help.text(
            """
            Prints one JSON object: {"document", "order", "fields": [{"name", "value", "confidence", "page", "box"}], "problems", "pages", "needs_review"}.
            Boxes are [x0, y0, x1, y1] from the top left, in points for PDF pages and pixels for images.
            Exit 1 when the draft has problems (it needs review); 2 when the document is unreadable or refused; 3 when poppler \
            or Tesseract cannot be loaded (they are opened on first use, not at start).
            OCR languages: CUSTOMS_HUB_OCR_LANGUAGES (Tesseract codes, default eng); a German, French or Dutch page is read again \
            with its language's model where installed (CUSTOMS_HUB_OCR_REREAD=none: once, in English), and a poorly read page \
            with another threshold (CUSTOMS_HUB_OCR_SECOND_LOOK=none: once); each line's amounts come from the reading whose \
            quantity × unit price = line total. An unknown CUSTOMS_HUB_OCR_ variable or value stops with \
            environment:0: NAME: problem (exit 3).
            Supplier templates: Data/documents/templates/*.yaml under the content root, and the ones learned from reviewers' corrections \
            in documents/templates/ of the data folder (CUSTOMS_HUB_DATA), tried first; a bad one stops with file:line: field: problem (exit 3).
            """,
            example: "customs-hub extract Fixtures/documents/text/invoice-de-boxed.pdf"))

    @Argument(help: "The document file; - or nothing for stdin.")
    var file: String?

    // The server's child reader (`ReadingWorker`): not for people, so not in the help.
    @Flag(help: .private) var worker = false
    @Option(help: .private) var maxBytes: Int?
    @Option(help: .private) var cpuSeconds: Int?
    @Option(help: .private) var memoryMb: Int?
    @Option(help: .private) var templates: String?

    /// The shipped templates and the learned ones (data folder), with the folder learning writes
    /// into: what `extract` reads with and `review resolve` refines. Exit 3 on a bad template.
    static func templateBook() throws -> SupplierTemplateBook {
        let learned = DataFolder.url.appendingPathComponent(SupplierTemplates.learnedFolder, isDirectory: true)
        guard let root = try? ContentRoot.locate() else { return SupplierTemplateBook(learnedFolder: learned) }
        do { return SupplierTemplateBook(templates: try SupplierTemplates.load(root: root.url, learned: learned), learnedFolder: learned) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(3)
        }
    }

    func run() throws {
        if worker { return try runAsWorker() }
        if case .failure(let problem) = OCRSettings.current { throw Diagnostics.fail("\(problem)", exit: Exit.configuration) }
        let templates = try Self.templateBook().templates
        let bytes = try Input.bytes(file)
        let pages: [PageText]
        do { pages = try AnyDocumentReader().pages(bytes) } catch {
            // poppler or Tesseract missing is the installation's fault, not the file's.
            if error.reason == .libraryUnavailable || error.reason == .ocrUnavailable {
                Diagnostics.say("\(file ?? "stdin"): cannot be read here: \(error)")
                throw ExitCode(3)
            }
            Diagnostics.say("\(file ?? "stdin"): refused: \(error)")
            throw ExitCode(2)
        }
        let result = Extractor(templates: templates).extract(pages)
        Output.line(result)
        if !result.problems.isEmpty { throw ExitCode(1) }
    }

    /// `extract --worker`: one upload read for `serve` in a child process, within the limits it
    /// was given (set before anything is read); the templates are the server's, not this folder's.
    /// Prints the extraction (exit 0) or why the file was refused (2) or cannot be read here (3).
    private func runAsWorker() throws {
        ReadingWorker.limitSelf(cpuSeconds: cpuSeconds ?? ReadingWorker.Limits().cpuSeconds, memoryMB: memoryMb ?? ReadingWorker.Limits().memoryMB)
        if case .failure(let problem) = OCRSettings.current { throw Diagnostics.fail("\(problem)", exit: Exit.configuration) }
        let given: [SupplierTemplate]
        do { given = try templates.map { try ReadingWorker.templates(fromFile: Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) } ?? [] } catch {
            throw Diagnostics.fail("the templates file: \(error)", exit: Exit.configuration)
        }
        let bytes = try Input.bytes(file)
        let answer = ReadingWorker.answer(bytes, maxBytes: maxBytes ?? APILimits().maxDocumentBytes, templates: given)
        FileHandle.standardOutput.write(Data(answer.output))
        if answer.status != 0 { throw ExitCode(answer.status) }
    }
}
