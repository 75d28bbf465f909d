/* The encoding page: a CTIP-template CSV file whose identity columns become one linkage_key
   column, in this browser, as ctip/linkage/files.py does it for `ctip encode_identities`
   (the same reading of the file as ctip/tabular.py: UTF-8 or UTF-16 by byte-order mark,
   Latin-1 when chosen, the delimiter that reads the first rows most regularly, standard
   quoting; the same output, byte for byte). Needs keys.js. */
(function (root) {
  "use strict";

  const DROPPED = ["given_name", "family_name", "date_of_birth"]; // `sex` stays: a statistic
  const IDENTITY = ["given_name", "family_name", "date_of_birth", "sex"];
  const KEY_COLUMN = "linkage_key";
  const DELIMITERS = [",", ";", "\t"];
  const SNIFF_CHARS = 64 * 1024;
  const MAX_ROWS = 1000000;
  const MAX_MEGABYTES = 500;
  const MAX_ERRORS_KEPT = 100;
  const MIN_SECRET_CHARS = 16;

  class FileProblem extends Error {}

  function firstBadUtf8(bytes) {
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      if (!size) return i;
      for (let j = 1; j < size; j++) if ((bytes[i + j] & 0xc0) !== 0x80) return i;
      i += size;
    }
    return 0;
  }

  function decode(bytes, encoding, say) {
    if (encoding === "latin-1") {
      let text = "";
      for (let i = 0; i < bytes.length; i += 8192) {
        text += String.fromCharCode(...bytes.subarray(i, i + 8192));
      }
      return text;
    }
    const little = bytes[0] === 0xff && bytes[1] === 0xfe, big = bytes[0] === 0xfe && bytes[1] === 0xff;
    if (little || big) {
      try {
        return new TextDecoder(little ? "utf-16le" : "utf-16be", { fatal: true }).decode(bytes);
      } catch (error) {
        throw new FileProblem(say("utf16_broken"));
      }
    }
    if (encoding === "utf-16") throw new FileProblem(say("utf16_no_bom"));
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (error) {
      const at = firstBadUtf8(bytes);
      const line = bytes.subarray(0, at).filter((b) => b === 10).length + 1;
      const byte = bytes[at].toString(16).toUpperCase().padStart(2, "0");
      throw new FileProblem(say("not_utf8", { byte, line }));
    }
  }

  /* Rows of a CSV text as Python's csv module reads them (RFC 4180; a blank line is an empty
     row); `strict`: a character after a closing quote, or a quote left open, is an error. */
  function* readCsv(text, delimiter, strict, say) {
    let row = [], field = "", state = "start", line = 1;
    const broken = (reason) => new FileProblem(say("broken_csv", { line, error: say(reason) }));
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      const newline = char === "\n" || char === "\r";
      if (state === "quoted") {
        if (char === '"') state = "quote";
        else field += char;
        if (char === "\n") line++;
        continue;
      }
      if (state === "quote") {
        if (char === '"') { field += '"'; state = "quoted"; continue; }
        if (char !== delimiter && !newline) {
          if (strict) throw broken("csv_after_quote");
          field += char; state = "field"; continue;
        }
      }
      if (char === delimiter) { row.push(field); field = ""; state = "start"; continue; }
      if (newline) {
        if (state !== "start" || row.length) row.push(field);
        yield row;
        row = []; field = ""; state = "start";
        if (char === "\r" && text[i + 1] === "\n") i++;
        line++;
        continue;
      }
      if (state === "start" && char === '"') { state = "quoted"; continue; }
      field += char; state = "field";
    }
    if (state === "quoted" && strict) throw broken("csv_open_quote");
    if (state !== "start" || row.length) { row.push(field); yield row; }
  }

  function detectDelimiter(sample, say) {
    const lines = sample.split(/(?<=\r\n|\n|\r(?!\n))/);
    if (lines.length > 1 && !/[\r\n]$/.test(sample)) sample = lines.slice(0, -1).join("");
    let best = ",", bestScore = [-1, -1, -1];
    for (const delimiter of DELIMITERS) {
      const rows = [];
      for (const row of readCsv(sample, delimiter, false, say)) {
        rows.push(row);
        if (rows.length === 50) break;
      }
      if (!rows.length) continue;
      const width = rows[0].length;
      const score = [width > 1 ? 1 : 0, rows.slice(1).filter((r) => r.length === width).length, width];
      const better = score.findIndex((n, i) => n !== bestScore[i]);
      if (better >= 0 && score[better] > bestScore[better]) { best = delimiter; bestScore = score; }
    }
    return best;
  }

  /* A row as Python's csv.writer writes it (minimal quoting, "\n" between rows). */
  function csvLine(fields) {
    if (fields.length === 1 && fields[0] === "") return '""\n';
    return fields.map((f) => (/[,"\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",") + "\n";
  }

  function checkedHeader(header, say) {
    const named = header.filter(Boolean);
    const twice = [...new Set(named.filter((name, i) => named.indexOf(name) !== i))].sort();
    if (twice.length) throw new FileProblem(say("twice", { columns: twice.join(", ") }));
    return header;
  }

  /* The encoded file's text and counts, or every row problem and no text; throws
     FileProblem for a file that cannot be read. */
  function encodeTable(bytes, filename, secret, encoding, encoder) {
    const say = encoder.say;
    if (/\.(xlsx|xlsm|xls|ods)$/i.test(filename) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
      throw new FileProblem(say("spreadsheet"));
    }
    if (bytes.length > MAX_MEGABYTES * 1024 * 1024) throw new FileProblem(say("too_large", { n: MAX_MEGABYTES }));
    const text = decode(bytes, encoding, say);
    if (text.includes("\x00")) throw new FileProblem(say("nul"));
    const rows = readCsv(text, detectDelimiter(text.slice(0, SNIFF_CHARS), say), true, say);
    const first = rows.next();
    if (first.done) throw new FileProblem(say("empty"));
    const header = checkedHeader(first.value.map((h) => h.trim()), say);
    if (header.includes(KEY_COLUMN)) throw new FileProblem(say("already_encoded"));
    if (!header.includes("given_name") && !header.includes("family_name")) throw new FileProblem(say("no_names"));
    const kept = header.map((name, i) => i).filter((i) => !DROPPED.includes(header[i]));
    const result = { rows: 0, withoutName: 0, problems: [], problemCount: 0, text: "" };
    const out = [csvLine(kept.map((i) => header[i]).concat([KEY_COLUMN]))];
    let number = 1;
    for (const row of rows) {
      number++;
      if (number - 1 > MAX_ROWS) throw new FileProblem(say("too_many_rows", { n: MAX_ROWS.toLocaleString("en") }));
      if (!row.some((cell) => cell.trim())) continue;
      if (row.slice(header.length).some((cell) => cell.trim())) throw new FileProblem(say("wider", { row: number }));
      result.rows++;
      const identity = {};
      for (const name of IDENTITY) identity[name] = header.includes(name) ? row[header.indexOf(name)] || "" : "";
      let key;
      try {
        key = encoder.encode(identity, secret);
      } catch (problem) {
        if (!(problem instanceof root.CTIPLinkage.IdentityProblem)) throw problem;
        result.problemCount++;
        if (result.problems.length < MAX_ERRORS_KEPT) {
          result.problems.push(say("row_problem", { row: number, column: problem.field, message: problem.message }));
        }
        continue;
      }
      if (!key) result.withoutName++;
      out.push(csvLine(kept.map((i) => row[i] || "").concat([key])));
    }
    if (!result.problemCount) result.text = out.join("");
    return result;
  }

  function show(list, lines) {
    list.replaceChildren(...lines.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  }

  function start() {
    const page = document.getElementById("encoder");
    if (!page) return;
    const rules = JSON.parse(document.getElementById("linkage-rules").textContent);
    const messages = JSON.parse(document.getElementById("linkage-messages").textContent);
    const encoder = root.CTIPLinkage.Encoder(rules, messages);
    const say = encoder.say;
    const status = document.getElementById("encoder-status");
    const problems = document.getElementById("encoder-problems");
    const download = document.getElementById("encoder-download");
    document.getElementById("encoder-run").addEventListener("click", async () => {
      const file = document.getElementById("encoder-file").files[0];
      const secret = document.getElementById("encoder-secret").value.trim();
      const encoding = document.getElementById("encoder-encoding").value;
      download.hidden = true;
      show(problems, []);
      if (!file) { status.textContent = say("no_file"); return; }
      if (secret.length < MIN_SECRET_CHARS) { status.textContent = say("secret_short", { n: MIN_SECRET_CHARS }); return; }
      status.textContent = say("working");
      await new Promise((resolve) => setTimeout(resolve, 0));
      let result;
      try {
        result = encodeTable(new Uint8Array(await file.arrayBuffer()), file.name, secret, encoding, encoder);
      } catch (problem) {
        status.textContent = problem instanceof FileProblem ? problem.message : say("failed");
        return;
      }
      if (result.problemCount) {
        status.textContent = say("nothing_written", { n: result.problemCount });
        show(problems, result.problems);
        return;
      }
      const name = file.name.replace(/\.[^.]*$/, "") + "-encoded.csv";
      if (download.href) URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(new Blob([result.text], { type: "text/csv;charset=utf-8" }));
      download.download = name;
      download.hidden = false;
      status.textContent = say("encoded", { rows: result.rows, out: name, blank: result.withoutName });
    });
  }

  root.CTIPLinkage.encodeTable = encodeTable;
  root.CTIPLinkage.FileProblem = FileProblem;
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : globalThis);
