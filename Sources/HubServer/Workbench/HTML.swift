import Foundation
import HTTPTypes
import Hummingbird
import JSONCore
import NIOCore

/// A piece of HTML that is safe to send: text goes in escaped, only other `HTML` goes in as is.
/// `"<td>\(name)</td>" as HTML` escapes `name`; `\(raw: …)` is for constants written here.
public struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }
    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    init(trusted: String) { text = trusted }

    public var description: String { text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        public mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }
        public mutating func appendInterpolation(_ value: Substring) { text += HTML.escape(String(value)) }
        public mutating func appendInterpolation<T: BinaryInteger>(_ value: T) { text += String(value) }
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }
        public mutating func appendInterpolation(_ values: [HTML]) { for v in values { text += v.text } }
        /// Constant markup written in this target (never data).
        public mutating func appendInterpolation(raw: StaticString) { text += "\(raw)" }
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.text + b.text) }
    public static func += (a: inout HTML, b: HTML) { a.text += b.text }
    public static func join(_ parts: [HTML], separator: HTML = "") -> HTML { HTML(trusted: parts.map(\.text).joined(separator: separator.text)) }

    /// A value of parsed JSON as nested definition lists (evidence whose shape varies by engine).
    public static func json(_ value: JSONValue, depth: Int = 0) -> HTML {
        switch value {
        case .object(let o):
            guard depth < 6 else { return "<code>\(JSONWriter.write(value))</code>" }
            return "<dl class=\"json\">\(o.members.map { (k, v) -> HTML in "<dt>\(k)</dt><dd>\(json(v, depth: depth + 1))</dd>" })</dl>"
        case .array(let a):
            if a.isEmpty { return "<span class=\"muted\">none</span>" }
            guard depth < 6 else { return "<code>\(JSONWriter.write(value))</code>" }
            return "<ol class=\"json\">\(a.map { v -> HTML in "<li>\(json(v, depth: depth + 1))</li>" })</ol>"
        case .string(let s): return "\(s)"
        case .number(let n): return "\(n)"
        case .bool(let b): return b ? "yes" : "no"
        case .null: return "<span class=\"muted\">—</span>"
        }
    }
}

/// Responses of the server-rendered pages.
enum Page {
    static func response(_ html: HTML, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        // Nothing but our own scripts and styles; no framing (clickjacking of the action buttons).
        fields[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html.text)))
    }

    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        return Response(status: .seeOther, headers: fields)
    }

    /// The frame every page shares: title, navigation, who is logged in, the page's body.
    static func layout(title: String, user: WorkbenchSession?, body: HTML) -> HTML {
        let nav: HTML = user.map { u in
            """
            <nav><a href="/review">Queue</a> <a href="/review/messages">Messages</a> <a href="/review/kpis">KPIs</a>
            <span class="who">\(u.user) (\(u.role.rawValue))</span>
            <form method="post" action="/review/logout" class="inline"><input type="hidden" name="csrf" value="\(u.csrf)"><button type="submit">Log out</button></form></nav>
            """
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · CustomsHub</title><link rel="stylesheet" href="/review/assets/workbench.css"></head>
            <body><header><strong>CustomsHub</strong> review workbench \(nav)</header><main>\(body)</main>
            <script src="/review/assets/workbench.js" defer></script></body></html>
            """
    }

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2b45;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
        header nav{display:flex;gap:12px;align-items:center;flex:1}header a{color:#cfe0ff}
        .who{margin-left:auto;color:#cfe0ff}main{padding:16px;max-width:1200px}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e2e5ea;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#eef1f5}tr.sel{background:#fff5cc}.muted{color:#7a8291}.num{text-align:right;font-variant-numeric:tabular-nums}
        section{background:#fff;border:1px solid #e2e5ea;border-radius:6px;padding:8px 12px;margin:0 0 12px}
        h1{font-size:20px}h2{font-size:16px;margin:4px 0 8px}dl.json{margin:0;display:grid;grid-template-columns:max-content auto;gap:2px 12px}
        dl.json dt{color:#5b6475}dl.json dd{margin:0}ol.json{margin:0;padding-left:18px}
        .filters a{margin-right:8px}.filters a.on{font-weight:bold;text-decoration:none;color:#000}
        .actions{display:flex;flex-wrap:wrap;gap:8px;align-items:end}.actions button{padding:6px 10px}
        kbd{border:1px solid #aab;border-radius:3px;padding:0 4px;font-size:12px;background:#f3f3f3}
        .flash{background:#e4f6e4;border:1px solid #9c9;padding:6px 10px;margin-bottom:12px}.error{background:#fde8e8;border:1px solid #d99;padding:6px 10px;margin-bottom:12px}
        .pair{display:grid;grid-template-columns:1fr 1fr;gap:8px}.tok-same{background:#dff0d8}.tok-diff{background:#f9e0e0}
        form.inline{display:inline}code{font-size:12px}pre{white-space:pre-wrap;word-break:break-all;font-size:12px;max-height:240px;overflow:auto;background:#f3f4f6;padding:6px}
        .picker{position:relative}.picker ul{position:absolute;z-index:2;background:#fff;border:1px solid #ccd;list-style:none;margin:0;padding:0;max-height:260px;overflow:auto;width:480px}
        .picker li{padding:3px 6px;cursor:pointer}.picker li.sel,.picker li:hover{background:#e6efff}
        .chart{background:#fff;border:1px solid #e2e5ea;margin:0 12px 12px 0;display:inline-block;vertical-align:top}
        fieldset.draft-group,#draft-add{border:1px solid #e2e5ea;border-radius:4px;margin:0 0 8px;padding:4px 10px 8px}legend{font-weight:600}
        .draft-field{display:inline-block;margin:2px 12px 2px 0;vertical-align:top}.draft-field label{display:block;color:#5b6475;font-size:12px}
        table.draft-lines td.draft-field{display:table-cell;margin:0;vertical-align:top}table.draft-lines input[type=text]{width:100%;box-sizing:border-box}
        table.draft-lines th{font-size:12px;font-weight:normal;color:#5b6475;overflow-wrap:anywhere}
        .draft-field.error{padding:2px 4px;margin:2px 12px 2px 0}.draft-field span.error{display:block;padding:1px 4px;margin:2px 0 0;font-size:12px}
        """

    /// Keyboard actions and the HS picker. Everything works without it (plain forms and links).
    static let js = """
        (function(){
        'use strict';
        function typing(e){var t=e.target;return t&&(t.tagName==='INPUT'||t.tagName==='TEXTAREA'||t.tagName==='SELECT');}
        var rows=[].slice.call(document.querySelectorAll('tr[data-href]'));var sel=0;
        function mark(){rows.forEach(function(r,i){r.classList.toggle('sel',i===sel);});}
        if(rows.length){mark();}
        var keys={};[].slice.call(document.querySelectorAll('[data-key]')).forEach(function(b){keys[b.getAttribute('data-key')]=b;});
        document.addEventListener('keydown',function(e){
          if(e.ctrlKey||e.metaKey||e.altKey){return;}
          if(typing(e)){if(e.key==='Escape'){e.target.blur();}return;}
          if(rows.length){
            if(e.key==='j'){sel=Math.min(rows.length-1,sel+1);mark();e.preventDefault();return;}
            if(e.key==='k'){sel=Math.max(0,sel-1);mark();e.preventDefault();return;}
            if(e.key==='Enter'||e.key==='o'){location.href=rows[sel].getAttribute('data-href');return;}
          }
          if(e.key==='e'){var hs=document.getElementById('hs_code');if(hs){hs.focus();e.preventDefault();}return;}
          if(e.key==='u'){location.href='/review';return;}
          var b=keys[e.key];if(b&&!b.disabled){e.preventDefault();b.click();}
        });
        var input=document.getElementById('hs_code');
        [].slice.call(document.querySelectorAll('button.use-code')).forEach(function(b){b.addEventListener('click',function(){
          if(input){input.value=b.getAttribute('data-code');input.focus();}});});
        if(input){
          var list=document.createElement('ul');list.id='hs_results';list.hidden=true;input.parentNode.appendChild(list);
          var timer=null,items=[],pick=-1;
          function show(){list.innerHTML='';items.forEach(function(it,i){var li=document.createElement('li');li.textContent=it.hs6+'  '+it.description;
            li.setAttribute('data-code',it.hs6);if(i===pick){li.className='sel';}
            li.addEventListener('mousedown',function(ev){ev.preventDefault();input.value=it.hs6;list.hidden=true;});list.appendChild(li);});
            list.hidden=items.length===0;}
          input.addEventListener('input',function(){clearTimeout(timer);var q=input.value.trim();if(q.length<2){items=[];show();return;}
            timer=setTimeout(function(){fetch('/review/hs?q='+encodeURIComponent(q),{credentials:'same-origin'}).then(function(r){return r.json();})
              .then(function(j){items=j.results||[];pick=-1;show();});},150);});
          input.addEventListener('keydown',function(e){
            if(e.key==='ArrowDown'){pick=Math.min(items.length-1,pick+1);show();e.preventDefault();}
            else if(e.key==='ArrowUp'){pick=Math.max(0,pick-1);show();e.preventDefault();}
            else if(e.key==='Enter'&&pick>=0&&!list.hidden){input.value=items[pick].hs6;list.hidden=true;e.preventDefault();}
            else if(e.key==='Escape'){list.hidden=true;}});
        }
        })();
        """
}
