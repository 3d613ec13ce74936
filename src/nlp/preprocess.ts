/**
 * Steps a–c of the default recipe: text normalisation before tokenizing. Pure string functions.
 */

const MARKDOWN_LINK = /!?\[([^\]\n]*)\]\([^)\n]*\)/g;
const URL = /https?:\/\/\S+/g;
// At a line start (after optional indentation): a list bullet, a heading or an ordered-list
// number, followed by at least one space or tab. Lines end at "\n" only: the `m` flag would also
// start lines after \r, U+2028 and U+2029, which the Python reference does not.
const LINE_MARKER = /(?<=^|\n)([ \t]*)(?:[-*+]|#{1,6}|[0-9]+\.)[ \t]+/g;
const ASCII_DIGITS = /[0-9]+/g;

/**
 * Step a: joins title and text with a newline and applies Unicode NFKC.
 *
 * @example
 * toDocumentText("Ｐｙｔｈｏｎ入門", "１２３"); // "Python入門\n123"
 * @internal */
export const toDocumentText = (title: string, text: string): string => `${title}\n${text}`.normalize("NFKC");

/**
 * Step b: Markdown links and images become their label, then URLs are removed, then list and
 * heading markers at line starts are removed. Links go first so that a link's target is removed
 * together with its brackets and the label survives.
 *
 * @example
 * stripMarkup("- see [the docs](https://x.org) or https://y.org/z"); // "see the docs or "
 * @internal */
export const stripMarkup = (text: string): string =>
  text.replace(MARKDOWN_LINK, "$1").replace(URL, "").replace(LINE_MARKER, "$1");

/**
 * Step c: every run of ASCII digits becomes `0`, then the text is lower-cased.
 *
 * @example
 * foldDigitsAndCase("Python 3.12 in 2020"); // "python 0.0 in 0"
 * @internal */
export const foldDigitsAndCase = (text: string): string => text.replace(ASCII_DIGITS, "0").toLowerCase();

/**
 * Steps a–c together: the text handed to the tokenizer.
 *
 * @example
 * preprocessDocument("# Talk 1", "Read [this](http://a.b)!"); // "talk 0\nread this!"
 * @internal */
export const preprocessDocument = (title: string, text: string): string =>
  foldDigitsAndCase(stripMarkup(toDocumentText(title, text)));
