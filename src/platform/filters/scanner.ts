/**
 * A character cursor shared by the SCIM and SailPoint filter parsers. Both languages need
 * context-dependent lexing (a value position accepts numbers and dates, an attribute position
 * does not), so each parser drives this cursor directly instead of pre-tokenizing.
 */

/** Deepest nesting of parentheses / `not` / value paths accepted: bounds parser and compiler recursion. */
export const MAX_FILTER_DEPTH = 32;

export class Scanner {
  pos = 0;

  constructor(
    readonly text: string,
    /** Builds the dialect's error for a problem at a character position; must throw. */
    private readonly fail: (reason: string, position: number) => never,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  /**
   * Consumes and returns a match of `re` at the cursor, or undefined (cursor unchanged).
   * `re` must be sticky (/y) so it is anchored at the cursor without copying the rest of the text.
   */
  match(re: RegExp): string | undefined {
    if (!re.sticky) throw new TypeError('Scanner.match needs a sticky (/y) regular expression');
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Consumes `ch` if it is next. */
  eat(ch: string): boolean {
    if (this.text.startsWith(ch, this.pos)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  error(reason: string, position = this.pos): never {
    return this.fail(`${reason} at position ${position}`, position);
  }

  /** A short, printable description of what is at the cursor, for error messages. */
  describe(): string {
    if (this.done) return 'end of filter';
    const word = /[^\s()[\]]+/y;
    word.lastIndex = this.pos;
    const m = word.exec(this.text);
    return `'${(m ? m[0] : this.peek()).slice(0, 40)}'`;
  }
}
