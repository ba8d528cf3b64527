// The keys of a JSON object's top level in the order written, duplicates included. JSON.parse keeps
// only the last of two equal keys, so a safetensors header naming a tensor twice would silently
// lose one; this scan lets the reader reject it instead.

/**
 * Top-level keys of `text`, which must already have passed JSON.parse as an object. Keys are
 * decoded (so `"\u0061"` and `"a"` are the same key).
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  // returns the raw string literal (quotes included) starting at text[i] === '"'
  const str = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return text.slice(start, i);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '"') {
      str();
      return;
    }
    if (c === "{" || c === "[") {
      let depth = 0;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          str();
          continue;
        }
        if (d === "{" || d === "[") depth++;
        else if (d === "}" || d === "]") depth--;
        i++;
        if (depth === 0) return;
      }
      return;
    }
    while (i < text.length && !",}] \t\n\r".includes(text[i]!)) i++; // number, true, false, null
  };
  ws();
  i++; // "{"
  ws();
  if (text[i] === "}") return keys;
  for (;;) {
    ws();
    keys.push(JSON.parse(str()) as string);
    ws();
    i++; // ":"
    value();
    ws();
    if (text[i++] !== ",") return keys; // "}"
  }
}
