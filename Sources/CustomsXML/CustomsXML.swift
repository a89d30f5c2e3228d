/// Customs XML that the declarative mappings cannot express, and only that.
///
/// Every outbound filing — the UK CDS declaration, the UK ICS entry summary, the EU H7 filing —
/// comes from the adapter catalog and its mappings (`Adapters/`, `Mappings/`), checked against
/// their business rules and XSDs there. The Swift renderers that once wrote the same messages were
/// retired so that there is one filing path. What stays here:
/// - `CDSNotification`: a file may hold several DMS notifications, each becoming a status event;
///   HMRC's samples come namespaced, prefixed, un-namespaced and SOAP-wrapped, and their
///   timestamps use WCO `formatCode` 304 — reading all of that is code, not a field mapping.
/// - `ICSAnswer`: the ICS API's synchronous GovTalk answers carry no time of their own, so the
///   caller's receive time is part of the event; the answer is told apart by its root.
/// - `WCODateTime`: WCO date-time formats for the readers above.
/// - `XMLSchemaCatalog`: which XSD in `Schemas/xml/` validates which message, for the validators
///   the catalog and the CLI use.
public enum CustomsXML {}
