/* CTIP linkage keys: identities become linkage keys in this browser, and nothing leaves it.

   The same encoding as ctip/linkage/keys.py and files.py (`ctip encode_identities`), bit for
   bit: HKDF-SHA256 derives one key per feature from the round's shared secret (as clkhash's
   generate_key_lists), each token is set into its feature's segment of a 1,024-bit Bloom filter by keyed BLAKE2b (as
   clkhash's blake_hash_token), and the tokens follow the rules in ctip/linkage/rules.json,
   which the page hands over in #linkage-rules. Everything is plain JavaScript, without
   WebCrypto, so that the downloaded copy works from a file on a machine with no network.
   The page sends nothing: no request is made, no form is submitted. */
(function (root) {
  "use strict";

  // --- SHA-256, HMAC and HKDF (RFC 6234, 2104, 5869) -------------------------------------
  const K256 = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256(bytes) {
    const h = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]);
    const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    const view = new DataView(padded.buffer);
    const bits = bytes.length * 8;
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    const w = new Uint32Array(64);
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, k] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      const sums = [a, b, c, d, e, f, g, k];
      for (let i = 0; i < 8; i++) h[i] = (h[i] + sums[i]) >>> 0;
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(4 * i, h[i]);
    return out;
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  }

  function hmacSha256(key, message) {
    if (key.length > 64) key = sha256(key);
    const inner = new Uint8Array(64), outer = new Uint8Array(64);
    for (let i = 0; i < 64; i++) {
      inner[i] = (key[i] || 0) ^ 0x36;
      outer[i] = (key[i] || 0) ^ 0x5c;
    }
    return sha256(concat(outer, sha256(concat(inner, message))));
  }

  /* HKDF-SHA256 without salt (RFC 5869: a string of zeros), as clkhash calls it. */
  function hkdf(secret, info, length) {
    const prk = hmacSha256(new Uint8Array(32), secret);
    const blocks = [];
    let previous = new Uint8Array(0);
    for (let i = 1; blocks.length * 32 < length; i++) {
      previous = hmacSha256(prk, concat(previous, info, Uint8Array.of(i)));
      blocks.push(previous);
    }
    return concat(...blocks).slice(0, length);
  }

  // --- BLAKE2b (RFC 7693), 64-bit words as pairs of 32-bit halves, low half first ----------
  const IV32 = new Uint32Array([
    0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
    0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
  ]);
  const SIGMA = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
    7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
    9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
    2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
    12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
    13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
    6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
    10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  ].map((i) => 2 * i);
  const v = new Uint32Array(32);
  const m = new Uint32Array(32);

  function add64(a, b0, b1) {
    const low = v[a] + b0;
    v[a + 1] = v[a + 1] + b1 + (low >= 0x100000000 ? 1 : 0);
    v[a] = low;
  }

  function mix(a, b, c, d, x, y) {
    add64(a, v[b], v[b + 1]);
    add64(a, m[x], m[x + 1]);
    let lo = v[d] ^ v[a], hi = v[d + 1] ^ v[a + 1];
    v[d] = hi; v[d + 1] = lo; // rotate right 32
    add64(c, v[d], v[d + 1]);
    lo = v[b] ^ v[c]; hi = v[b + 1] ^ v[c + 1];
    v[b] = (lo >>> 24) ^ (hi << 8); v[b + 1] = (hi >>> 24) ^ (lo << 8);
    add64(a, v[b], v[b + 1]);
    add64(a, m[y], m[y + 1]);
    lo = v[d] ^ v[a]; hi = v[d + 1] ^ v[a + 1];
    v[d] = (lo >>> 16) ^ (hi << 16); v[d + 1] = (hi >>> 16) ^ (lo << 16);
    add64(c, v[d], v[d + 1]);
    lo = v[b] ^ v[c]; hi = v[b + 1] ^ v[c + 1];
    v[b] = (hi >>> 31) ^ (lo << 1); v[b + 1] = (lo >>> 31) ^ (hi << 1); // rotate right 63
  }

  function compress(h, block, counter, last) {
    for (let i = 0; i < 16; i++) { v[i] = h[i]; v[i + 16] = IV32[i]; }
    v[24] ^= counter; // messages here are far shorter than 2^32 bytes
    if (last) { v[28] = ~v[28]; v[29] = ~v[29]; }
    const words = new DataView(block.buffer, block.byteOffset, 128);
    for (let i = 0; i < 32; i++) m[i] = words.getUint32(4 * i, true);
    for (let round = 0; round < 12; round++) {
      const s = SIGMA.slice(16 * round, 16 * round + 16);
      mix(0, 8, 16, 24, s[0], s[1]);
      mix(2, 10, 18, 26, s[2], s[3]);
      mix(4, 12, 20, 28, s[4], s[5]);
      mix(6, 14, 22, 30, s[6], s[7]);
      mix(0, 10, 20, 30, s[8], s[9]);
      mix(2, 12, 22, 24, s[10], s[11]);
      mix(4, 14, 16, 26, s[12], s[13]);
      mix(6, 8, 18, 28, s[14], s[15]);
    }
    for (let i = 0; i < 16; i++) h[i] = h[i] ^ v[i] ^ v[i + 16];
  }

  /* A keyed BLAKE2b (64-byte digest) with a salt, for messages of at most 128 bytes: the key
     block is compressed once and its state reused for every message. */
  function keyedBlake2b(key, salt) {
    const start = Uint32Array.from(IV32);
    start[0] ^= 0x01010000 ^ (key.length << 8) ^ 64;
    const saltBlock = new Uint8Array(16);
    saltBlock.set(salt);
    const saltWords = new DataView(saltBlock.buffer);
    for (let i = 0; i < 4; i++) start[8 + i] ^= saltWords.getUint32(4 * i, true);
    const block = new Uint8Array(128);
    block.set(key);
    compress(start, block, 128, false);
    return function (message) {
      if (message.length > 128) throw new Error("token longer than one block");
      const h = Uint32Array.from(start);
      block.fill(0);
      block.set(message);
      compress(h, block, 128 + message.length, true);
      const out = new Uint8Array(64);
      const view = new DataView(out.buffer);
      for (let i = 0; i < 16; i++) view.setUint32(4 * i, h[i], true);
      return out;
    };
  }

  // --- Tokens, as ctip/linkage/keys.py ------------------------------------------------------
  const UTF8 = new TextEncoder();
  const MARK = /^\p{Mn}$/u;
  const LATIN = /^[a-z]*$/;
  const DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹";
  const DATE_ISO = /^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$/;
  const DATE_DMY = /^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})$/;
  const SEXES = new Map([["f", "f"], ["female", "f"], ["m", "m"], ["male", "m"]]);
  const MAX_NAME_CHARS = 500;

  class IdentityProblem extends Error {
    constructor(field, message) { super(message); this.field = field; }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }

  function Encoder(rules, messages) {
    const letters = rules.letters;
    const features = Object.keys(rules.bits_per_token);
    const say = (name, values) => format(messages[name], values || {});

    function nameTokens(text) {
      let out = "";
      for (const char of text.toLowerCase().normalize("NFKD")) {
        if (MARK.test(char)) continue;
        const mapped = Object.prototype.hasOwnProperty.call(letters, char) ? letters[char] : char;
        out += LATIN.test(mapped) ? mapped : " ";
      }
      return out.split(" ").filter(Boolean);
    }

    function skeleton(token) {
      for (const [before, after] of rules.skeleton_folds) token = token.split(before).join(after);
      const kept = [...token].filter(
        (char, i) => !rules.vowels.includes(char) && !(i && rules.semivowels.includes(char)),
      );
      if (kept.length && kept[kept.length - 1] === "h") kept.pop();
      return kept.filter((char, i) => !i || char !== kept[i - 1]).join("");
    }

    function bigrams(word) {
      const padded = ` ${word} `;
      const out = [];
      for (let i = 0; i < padded.length - 1; i++) out.push(padded.slice(i, i + 2));
      return out;
    }

    function dateTokens(text) {
      text = text.trim().replace(/[٠-٩۰-۹]/g, (d) => String(DIGITS.indexOf(d) % 10));
      if (!text) return [];
      let year, month, day;
      let found = DATE_ISO.exec(text.slice(0, 10));
      if (found) [, year, month, day] = found;
      else if ((found = DATE_DMY.exec(text))) [, day, month, year] = found;
      else throw new IdentityProblem("date_of_birth", say("date_format", { value: text.slice(0, 40) }));
      const outOfRange = [month, day].some((p) => p !== undefined && !(+p >= 1 && +p <= 31));
      if (!(+year >= 1900 && +year <= 2100) || outOfRange) {
        throw new IdentityProblem("date_of_birth", say("date_range", { value: text }));
      }
      const tokens = [`y${year}`];
      const parts = [month, day].filter((p) => p !== undefined).map((p) => String(+p).padStart(2, "0"));
      if (month !== undefined) tokens.push(`m${parts[0]}`);
      if (day !== undefined) tokens.push(`d${parts[1]}`, "p" + [...parts].sort().join(""));
      return tokens;
    }

    function checkedName(field, value) {
      if ([...value].length > MAX_NAME_CHARS) {
        throw new IdentityProblem(field, say("name_too_long", { n: MAX_NAME_CHARS }));
      }
      return value;
    }

    function tokens(identity) {
      const names = ["given_name", "family_name"].flatMap((field) =>
        nameTokens(checkedName(field, identity[field] || "")));
      const sex = SEXES.get((identity.sex || "").trim().toLowerCase());
      const unique = (grams) => [...new Set(grams)];
      return {
        name: unique(names.flatMap(bigrams)),
        skeleton: unique(names.map(skeleton).filter(Boolean).flatMap(bigrams)),
        date_of_birth: dateTokens(identity.date_of_birth || ""),
        sex: sex ? [sex] : [],
      };
    }

    const cache = new Map();
    function hashers(secret) {
      if (!cache.has(secret)) {
        const keys = hkdf(UTF8.encode(secret), UTF8.encode(rules.version), 64 * features.length);
        const macs = Math.ceil(Math.max(...Object.values(rules.bits_per_token)) / 32);
        cache.set(secret, features.map((_, i) => {
          const key = keys.slice(64 * i, 64 * i + 64);
          return Array.from({ length: macs }, (_, salt) => keyedBlake2b(key, UTF8.encode(String(salt))));
        }));
      }
      return cache.get(secret);
    }

    /* The linkage key (base64 of the filter), or "" when the identity has no name at all. */
    function encode(identity, secret) {
      const found = tokens(identity);
      if (!found.name.length) return "";
      const bits = rules.bits;
      const bloom = new Uint8Array(bits / 8);
      hashers(secret).forEach((macs, i) => {
        const k = rules.bits_per_token[features[i]];
        const [offset, size] = rules.segments[features[i]];
        for (const gram of found[features[i]]) {
          const message = UTF8.encode(gram);
          const shorts = [];
          for (const mac of macs) {
            if (shorts.length >= k) break;
            const digest = new DataView(mac(message).buffer);
            for (let j = 0; j < 32; j++) shorts.push(digest.getUint16(2 * j, true));
          }
          for (let j = 0; j < k; j++) {
            const index = offset + (shorts[j] % size);
            bloom[index >> 3] |= 0x80 >> (index & 7);
          }
        }
      });
      let binary = "";
      for (const byte of bloom) binary += String.fromCharCode(byte);
      return btoa(binary);
    }

    return { encode, tokens, say };
  }

  root.CTIPLinkage = { Encoder, IdentityProblem, sha256, hkdf, keyedBlake2b, format };
  if (typeof module !== "undefined") module.exports = root.CTIPLinkage;
})(typeof window !== "undefined" ? window : globalThis);
