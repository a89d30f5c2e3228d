import CDocumentLibraries

/// A page's OCR budget in CPU time of the thread that reads it (`ReadLimits.ocrCPUMilliseconds`),
/// shared by every reading of the page. Work done, not time waited for a core: a page reads the
/// same on a loaded machine as on an idle one. A page is read on one thread (the engine is held
/// under a lock, with no suspension point), so the thread's clock is the page's.
final class OCRBudget {
    let milliseconds: Int
    /// The thread CPU time, in nanoseconds, at which reading stops; Tesseract polls it between words.
    private let stopAt: UnsafeMutablePointer<Int64>

    init(milliseconds: Int) {
        self.milliseconds = milliseconds
        stopAt = .allocate(capacity: 1)
        stopAt.initialize(to: hub_thread_cpu_nanoseconds() + Int64(milliseconds) * 1_000_000)
    }

    deinit { stopAt.deallocate() }

    var isSpent: Bool { hub_thread_cpu_nanoseconds() >= stopAt.pointee }

    var spent: DocumentReadError {
        DocumentReadError(.timeout, "OCR used more than \(milliseconds) ms of CPU time on the page")
    }

    /// Has `monitor` stop a recognition once the budget is spent.
    func watch(_ t: HubTesseract, _ monitor: OpaquePointer) {
        t.TessMonitorSetCancelFunc(monitor, hub_thread_cpu_reached)
        t.TessMonitorSetCancelThis(monitor, UnsafeMutableRawPointer(stopAt))
    }
}
