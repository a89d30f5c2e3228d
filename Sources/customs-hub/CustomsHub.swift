import ArgumentParser

@main
struct CustomsHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customs-hub",
        abstract: "Customs automation hub for cross-border e-commerce.",
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
            EdifactCommand.self,
            OutboxCommand.self,
            CallbacksCommand.self,
            SubmitCommand.self,
            OrdersCommand.self,
            ReviewCommand.self,
            AuditCommand.self,
            ExtractCommand.self,
        ])
}
