/**
 * The {@code .rapace} front end: {@link io.rapace.idl.parse.IdlParser} reads IDL files (and the files they import),
 * checks them against the rules of {@code docs/idl.md}, and returns either the {@link io.rapace.idl.model.Schema} or
 * every problem found as a {@link io.rapace.idl.parse.Diagnostic} ({@code file:line:column: message}, the source
 * line and a caret).
 *
 * <p>Inside: a hand-written lexer ({@code Lexer}), a recursive-descent parser that records a syntax error and
 * recovers at the next {@code ;}, {@code ,} or {@code }} ({@code Parser}) into a syntax tree ({@code Ast}), the
 * loader that follows imports ({@code Loader}), the semantic checks across all files ({@code Checker}) and the
 * translation of a clean tree into the model ({@code ModelBuilder}). Nothing here throws on any input.
 *
 * <p>This package imports {@code io.rapace.idl.model} and {@code java.*} only; it writes no Java. The language is
 * documented in {@code docs/idl.md}.
 */
package io.rapace.idl.parse;
