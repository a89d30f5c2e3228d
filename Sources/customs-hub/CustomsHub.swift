import ArgumentParser

@main
struct CustomsHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customs-hub",
        abstract: "Customs automation hub for cross-border e-commerce.",
        discussion: Help.text(Exit.conventions, example: "customs-hub --version"),
        subcommands: [
            ValidateCommand.self,
            RenderCommand.self,
            IngestCommand.self,
            AdaptersCommand.self,
            MappingsCommand.self,
            XMLCommand.self,
            ScreenCommand.self,
            ClassifyCommand.self,
            TrainCommand.self,
            CorrectCommand.self,
            QuoteCommand.self,
            TariffImportCommand.self,
            DataCommand.self,
            EdifactCommand.self,
            OutboxCommand.self,
            CallbacksCommand.self,
            SubmitCommand.self,
            OrdersCommand.self,
            ReviewCommand.self,
            AuditCommand.self,
            ServeCommand.self,
            SandboxCommand.self,
            ExtractCommand.self,
        ])

    @Flag(name: .long, help: "Print the versions of the tool and of the loaded packs, lists and model as one JSON line.")
    var version = false

    func run() async throws {
        // Nothing named: `Entry` answers it as bad usage (exit 2, the usage on stderr).
        guard version else { throw CleanExit.helpRequest(self) }
        try VersionReport.print()
    }

    static func main() async { await Entry.main(Self.self) }
}
