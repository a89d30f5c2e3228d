/// The API's OpenAPI 3.1 description, served at `GET /openapi.yaml`. `ServerTests` holds it
/// against the real routes (every operation answers with a documented status and content type).
public enum OpenAPIDocument {
    public static let yaml = #"""
openapi: 3.1.0
info:
  title: CustomsHub API
  version: "1.0.0"
  description: |
    Orders in, through the customs pipeline; their review queue, audit trail, outbox and gateway
    callbacks. Authenticate with `Authorization: Bearer KEY` (a tenant's API key); gateway callbacks
    authenticate by signature instead. Errors are RFC 9457 problem+json with JSON Pointers to the fields.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
paths:
  /livez:
    get:
      operationId: live
      description: |
        Liveness: 200 while the process answers. The server listens before its engines are loaded (a first
        start trains the classifier); `ready` says whether they are in, and until then `stage` says what the
        load is doing and `seconds` since when.
      security: []
      responses:
        "200": {description: The process is up., content: {application/json: {schema: {$ref: "#/components/schemas/Health"}}}}
  /healthz:
    get:
      operationId: health
      description: |
        Health: 200 once the engines are loaded and the hub serves; while they load, 503 with the stage and
        Retry-After. Readiness with the store checked too is `/readyz`; liveness alone is `/livez`.
      security: []
      responses:
        "200": {description: The hub serves., content: {application/json: {schema: {$ref: "#/components/schemas/Health"}}}}
        "503":
          description: The engines are loading (or failed to load); `stage` says what.
          headers: {Retry-After: {$ref: "#/components/headers/RetryAfter"}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Health"}}}
  /readyz:
    get:
      operationId: ready
      security: []
      responses:
        "200": {description: Store reachable and engines loaded., content: {application/json: {schema: {$ref: "#/components/schemas/Ready"}}}}
        "503":
          description: "Not ready yet: the store is unreachable, or the engines are loading (checks.engines.stage says what; Retry-After) or failed to load."
          headers: {Retry-After: {$ref: "#/components/headers/RetryAfter"}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Ready"}}}
  /metrics:
    get:
      operationId: metrics
      security: []
      responses:
        "200": {description: Prometheus text exposition., content: {text/plain: {schema: {type: string}}}}
  /v1/orders:
    post:
      operationId: submitOrder
      description: |
        A canonical order as JSON, or a message an inbound adapter reads (EDIFACT, XML, CSV, or the adapter's
        own JSON; the built-in ERP adapters read INVOIC, UBL 2.1 invoices and order exports in CSV), mapped to a canonical order by the same ingest as `customs-hub ingest --adapter NAME`. The
        content type picks the format; `adapter` (query) or `X-Adapter` (header) names the adapter when more
        than one reads that format, or when JSON is an adapter's rather than canonical. A message that cannot
        be read or mapped is a problem naming the segment, line or field; nothing is stored.
        A message may hold several orders (a CSV export's rows grouped by the order column, as the adapter's
        mapping says; an EDIFACT interchange's messages; the records of an XML batch): each is taken on its own under its own idempotency key from the mapping, and the answer is 207
        with one entry per order, in the message's order, carrying the status that order would get alone
        (201 taken, 200 the same order as before, 403 another tenant's merchant, 422 invalid, with its problem).
        An `Idempotency-Key` then covers the whole request (another body under it is a 409).
      parameters:
        - {name: Idempotency-Key, in: header, required: false, schema: {type: string, maxLength: 200}}
        - {name: adapter, in: query, required: false, schema: {type: string}}
        - {name: X-Adapter, in: header, required: false, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {type: object}}
          application/edifact: {schema: {type: string}}
          application/xml: {schema: {type: string}}
          text/csv: {schema: {type: string}}
      responses:
        "200": {description: The same key and body as before; the same order., content: {application/json: {schema: {$ref: "#/components/schemas/Submitted"}}}}
        "201": {description: Order taken., content: {application/json: {schema: {$ref: "#/components/schemas/Submitted"}}}}
        "207": {description: A message of several orders (CSV export, EDIFACT interchange); one answer per order., content: {application/json: {schema: {$ref: "#/components/schemas/SubmittedBatch"}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
    get:
      operationId: listOrders
      parameters:
        - {name: state, in: query, schema: {type: string, enum: [received, invalid, held_for_review, filed, submitted, accepted, rejected, held_by_customs, cleared, released, cancelled]}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: cursor, in: query, schema: {type: string, pattern: "^[0-9]+$"}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500}}
      responses:
        "200": {description: One page of orders (oldest first)., content: {application/json: {schema: {$ref: "#/components/schemas/OrderPage"}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
  /v1/documents:
    post:
      operationId: readDocument
      description: |
        An invoice, packing list or certificate of origin (PDF, PNG, JPEG or TIFF; text PDFs through poppler,
        scans through Tesseract) read into `{document, order, fields, problems, pages, needs_review}` (and `template`, the supplier template that matched, if one did), the
        object `customs-hub extract` prints. With `submit=true` and `merchant_id`, a draft read without
        problems is submitted as an order exactly as `POST /v1/orders` takes one (same validation, same
        answer, `Idempotency-Key` or the file's SHA-256 as the key). A draft read with problems, or one the
        order's validation refuses, is stored with its file and waits in the review queue (reason
        `unreadable_document`): 202 with `document_id` and `review_item`; a reviewer corrects it and submits
        it as the merchant's order, or rejects it. A file that cannot be read at all is a 422 and nothing is stored.

        Each file is read in a child process of its own, within bounds (`limits.document_seconds` of wall
        time, `limits.document_cpu_seconds` of CPU, `limits.document_memory_mb` of memory): a reader that
        crashes on the file or outruns a bound is a 422 `unreadable-document` whose detail says what happened
        (`the reader stopped on signal 11 (SIGSEGV)`, `the reader took longer than 60 s`); nothing is stored
        and the server goes on. A reader that cannot be started or gives no answer, or poppler or Tesseract
        missing on the server, is a 500 `document-reader-failed`. At most `limits.document_readers` files are
        read at once; one more is answered at once with 503 `document-readers-busy` and `Retry-After`.
      parameters:
        - {name: submit, in: query, required: false, schema: {type: boolean}}
        - {name: merchant_id, in: query, required: false, schema: {type: string, maxLength: 64}}
        - {name: Idempotency-Key, in: header, required: false, schema: {type: string, maxLength: 200}}
      requestBody:
        required: true
        content:
          application/pdf: {schema: {type: string, format: binary}}
          image/png: {schema: {type: string, format: binary}}
          image/jpeg: {schema: {type: string, format: binary}}
          image/tiff: {schema: {type: string, format: binary}}
      responses:
        "200": {description: The document as read (or the same order as before)., content: {application/json: {schema: {type: object}}}}
        "201": {description: The draft was complete and is now an order., content: {application/json: {schema: {$ref: "#/components/schemas/Submitted"}}}}
        "202": {description: The draft has problems and waits in the review queue., content: {application/json: {schema: {type: object, required: [document_id, state]}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "500": {$ref: "#/components/responses/Problem"}
        "503":
          description: |
            Every document reader is busy (type `…/document-readers-busy`; send the file again after Retry-After),
            or the engines are not loaded (`…/starting`, `…/not-ready`; see NotReady).
          headers: {Retry-After: {$ref: "#/components/headers/RetryAfter"}}
          content:
            application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}
  /v1/quotes:
    post:
      operationId: quoteBatch
      description: |
        Duty, import tax and fees: each item is a `customs-hub quote` request; each result a quote as `customs-hub quote` prints it (money as `{amount, currency}` with a decimal-string amount, rates as decimal strings) or `{id, error: {field, message}}`. Quoted with the packs the hub loaded.
      requestBody: {$ref: "#/components/requestBodies/Batch"}
      responses:
        "200": {$ref: "#/components/responses/BatchResults"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
  /v1/classify:
    post:
      operationId: classifyBatch
      description: |
        HS classification: each item is `{id?, description, destination?, hs_code?, date?}`; each result what `customs-hub classify` prints, or `{line, error}`.
      parameters:
        - {name: top, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 50}}
      requestBody: {$ref: "#/components/requestBodies/Batch"}
      responses:
        "200": {$ref: "#/components/responses/BatchResults"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
  /v1/screen:
    post:
      operationId: screenBatch
      description: |
        Denied-party and embargo screening: each item is a party or a canonical order; each result what `customs-hub screen` prints, or `{line, error}`.
      requestBody: {$ref: "#/components/requestBodies/Batch"}
      responses:
        "200": {$ref: "#/components/responses/BatchResults"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
  /v1/orders/{id}:
    get:
      operationId: showOrder
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses:
        "200": {description: What `customs-hub orders show` prints., content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/orders/{id}/audit:
    get:
      operationId: orderAudit
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses:
        "200": {description: Every decision about the order (oldest first)., content: {application/json: {schema: {type: object, required: [order_id, decisions], properties: {order_id: {type: integer}, decisions: {type: array, items: {type: object}}}}}}}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/reviews:
    get:
      operationId: listReviews
      parameters:
        - {name: state, in: query, schema: {type: string, enum: [open, resolved, all]}}
        - {name: order, in: query, schema: {type: string}}
        - {name: reason, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500}}
      responses:
        "200": {description: Review items., content: {application/json: {schema: {type: object, required: [review_items], properties: {review_items: {type: array, items: {$ref: "#/components/schemas/ReviewItem"}}}}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/reviews/{id}:
    get:
      operationId: showReview
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses:
        "200": {description: One review item with its evidence., content: {application/json: {schema: {$ref: "#/components/schemas/ReviewItem"}}}}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/reviews/{id}/resolve:
    post:
      operationId: resolveReview
      parameters: [{$ref: "#/components/parameters/Id"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [action, reviewer]
              properties:
                action: {type: string, enum: [confirm, correct, release, hold, reject, reprocess]}
                reviewer: {type: string, minLength: 1}
                hs_code: {type: string}
                note: {type: string}
                order: {type: object, description: "A document draft's corrected canonical order (correct)."}
                document:
                  type: object
                  description: "Corrected document fields an order does not carry (total), as decimal strings. With the order's, they refine the supplier's template."
                  additionalProperties: {type: string}
      responses:
        "200": {description: "Applied. For a corrected document draft, template_learning says what the corrections taught the supplier's template (file written, learned fields and how, corrections not found and why).", content: {application/json: {schema: {type: object}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
  /v1/outbox:
    get:
      operationId: listOutbox
      parameters:
        - {name: state, in: query, schema: {type: string, enum: [pending, leased, delivered, dead]}}
        - {name: adapter, in: query, schema: {type: string}}
        - {name: cursor, in: query, schema: {type: string, pattern: "^[0-9]+$"}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500}}
      responses:
        "200": {description: "One page of the tenant's outbox rows (oldest first; `next_cursor` fetches the next).", content: {application/json: {schema: {type: object, required: [messages, next_cursor], properties: {messages: {type: array, items: {type: object}}, next_cursor: {type: [string, "null"]}}}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
  /v1/outbox/{id}/reprocess:
    post:
      operationId: reprocessOutbox
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses:
        "202": {description: Back to pending as a new generation., content: {application/json: {schema: {type: object}}}}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
  /v1/kpis:
    get:
      operationId: getKPIs
      summary: The tenant's KPIs (clearance time by destination and adapter, rejection, hold and penalty rates, review rate and time to resolve, automation rate, confidence histogram, reviewer agreement, duty quoted against assessed).
      responses:
        "200": {description: The figures; a rate with no data yet is null., content: {application/json: {schema: {type: object, required: [orders, clearance, rejection_rate, review, automation_rate, confidence_histogram, reviewer_agreement, duty], properties: {orders: {type: object}, clearance: {type: array, items: {type: object}}, rejection_rate: {type: [number, "null"]}, hold_rate: {type: [number, "null"]}, penalty_rate: {type: [number, "null"]}, review: {type: object}, documents: {type: object, description: "Document drafts that went to a person, and how they ended (submitted as read, corrected, rejected)."}, automation_rate: {type: [number, "null"]}, confidence_histogram: {type: array, items: {type: integer}}, reviewer_agreement: {type: object}, duty: {type: object}}}}}}
        "401": {$ref: "#/components/responses/Problem"}
  /v1/callbacks/{adapter}:
    post:
      operationId: gatewayCallback
      description: |
        A gateway's or courier's signed status callback (stored, answered 202, applied afterwards), or a
        web shop's signed order webhook (an adapter whose callbacks mapping makes orders, such as
        shop-webhook): taken at once like POST /v1/orders for the tenant configured as
        adapters.ID.tenant, with the event id as the idempotency key.
      security: []
      parameters:
        - {name: adapter, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          "*/*": {schema: {type: string}}
      responses:
        "200": {description: "Seen before (deduplicated): the receipt, or for an order webhook the same order.", content: {application/json: {schema: {oneOf: [{$ref: "#/components/schemas/CallbackReceipt"}, {$ref: "#/components/schemas/Submitted"}]}}}}
        "201": {description: An order webhook's order taken., content: {application/json: {schema: {$ref: "#/components/schemas/Submitted"}}}}
        "202": {description: Stored in the inbox; processed asynchronously., content: {application/json: {schema: {$ref: "#/components/schemas/CallbackReceipt"}}}}
        "207": {description: An order webhook of several orders; one answer per order., content: {application/json: {schema: {$ref: "#/components/schemas/SubmittedBatch"}}}}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/NotReady"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  requestBodies:
    Batch:
      description: A JSON array of items, or JSON lines (application/x-ndjson).
      required: true
      content:
        application/json: {schema: {type: array, minItems: 1, items: {type: object}}}
        application/x-ndjson: {schema: {type: string}}
  responses:
    BatchResults:
      description: |
        One result per item, in order: a JSON array for a JSON array, JSON lines for JSON lines. An item
        that cannot be answered gets its error in its place and does not fail the batch.
      content:
        application/json: {schema: {type: array, items: {type: object}}}
        application/x-ndjson: {schema: {type: string}}
    Problem:
      description: RFC 9457 problem details.
      content:
        application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}
    NotReady:
      description: |
        The engines are not loaded: still loading at start (type `…/starting`, after waiting up to
        `limits.start_wait_seconds`; the detail says what loads; try again after Retry-After), or failed (`…/not-ready`).
      headers: {Retry-After: {$ref: "#/components/headers/RetryAfter"}}
      content:
        application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}
  headers:
    RetryAfter: {description: Seconds to wait before asking again (sent while the engines load, or while every document reader is busy)., schema: {type: integer, minimum: 0}}
  schemas:
    Health:
      type: object
      required: [status, ready]
      properties:
        status: {type: string, enum: [ok, starting, failed]}
        ready: {type: boolean}
        stage: {type: string, description: "While not ready: what the load is doing now (such as training the classifier)."}
        seconds: {type: number, description: Seconds since the load began.}
    Ready:
      type: object
      required: [ready, checks]
      properties: {ready: {type: boolean}, checks: {type: object}}
    Problem:
      type: object
      required: [type, title, status]
      properties:
        type: {type: string}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        instance: {type: string}
        errors:
          type: array
          items:
            type: object
            required: [pointer, code, detail]
            properties: {pointer: {type: string}, code: {type: string}, detail: {type: string}}
    Submitted:
      type: object
      required: [id, created, state, filings, review_items]
      properties:
        id: {type: integer, description: The order's id.}
        order_id: {type: integer, deprecated: true, description: The same number as id; read id. A field that points at an order from another record keeps the name order_id.}
        created: {type: boolean}
        state: {type: string}
        problems: {type: array, items: {type: object}}
        review_items: {type: array, items: {type: object}}
        filings: {type: array, items: {type: object, properties: {adapter: {type: string}, state: {type: string}}}}
        links: {type: object}
    SubmittedBatch:
      type: object
      required: [orders]
      properties:
        orders:
          type: array
          items:
            description: Taken (200, 201) - the order's answer, as Submitted; refused - its problem.
            type: object
            required: [index, external_reference, status]
            properties:
              index: {type: integer, description: The order's place in the file, from 0.}
              external_reference: {type: [string, "null"]}
              status: {type: integer, enum: [200, 201, 403, 413, 422]}
              problem: {$ref: "#/components/schemas/Problem"}
            anyOf:
              - {$ref: "#/components/schemas/Submitted"}
              - {required: [problem]}
    OrderPage:
      type: object
      required: [orders, next_cursor]
      properties:
        orders:
          type: array
          items:
            type: object
            required: [id, state]
            properties: {id: {type: integer}, merchant_id: {type: string}, external_reference: {type: string}, state: {type: string}, created_at: {type: string}, updated_at: {type: string}}
        next_cursor: {type: [string, "null"]}
    Order:
      type: object
      required: [id, state, lines, filings, review_items, history]
      properties:
        id: {type: integer, description: The order's id.}
        order_id: {type: integer, deprecated: true, description: The same number as id; read id.}
        state: {type: string}
        lines: {type: array, items: {type: object}}
        filings: {type: array, items: {type: object}}
        review_items: {type: array, items: {type: object}}
        history: {type: array, items: {type: object}}
    ReviewItem:
      type: object
      required: [id, order_id, reason, state]
      properties:
        id: {type: integer}
        # An item is about an order or, for a document that could not be read into one, a draft.
        order_id: {type: [integer, "null"]}
        document_id: {type: [integer, "null"]}
        reason: {type: string}
        state: {type: string}
        # Money as everywhere: a decimal string and its ISO 4217 currency, here side by side (`value` was
        # a bare string before the currency was added, and stays one).
        value: {type: [string, "null"], description: "The value at stake (the line's value, a document's total) as a decimal string in its currency's minor units."}
        currency: {type: [string, "null"], description: "ISO 4217 currency of value; null when there is no value, or for a document that read none."}
    CallbackReceipt:
      type: object
      required: [event_id, duplicate]
      properties: {event_id: {type: string}, duplicate: {type: boolean}}
"""#
}
