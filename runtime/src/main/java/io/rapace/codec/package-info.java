/**
 * The postcard wire format: an encoder ({@link io.rapace.codec.PostcardWriter}) that writes into a growable heap
 * buffer or a fixed off-heap region with the same code, a strict decoder ({@link io.rapace.codec.PostcardReader})
 * that reports every problem as a {@link io.rapace.codec.DecodeException} with an offset and a reason, codec
 * building blocks for composite types ({@link io.rapace.codec.Codec}, {@link io.rapace.codec.Codecs}) and COBS
 * framing ({@link io.rapace.codec.Cobs}).
 *
 * <p>This package stands at the bottom of the runtime: it imports nothing else of rapace. Generated codecs call its
 * static, monomorphic methods; nothing here uses reflection. The rules are written down in
 * {@code docs/wire-format.md}.
 */
package io.rapace.codec;
