/**
 * The annotations of the annotated-Java front end: {@link io.rapace.annotation.RapaceService} on a service interface,
 * {@link io.rapace.annotation.RapaceMethod} on its methods, and the wire-type refinements
 * {@link io.rapace.annotation.Unsigned}, {@link io.rapace.annotation.CodePoint} and {@link io.rapace.annotation.Fixed}.
 * {@link io.rapace.annotation.MethodKind} names the four call shapes and is shared by the registry and the RPC layer.
 *
 * <p>This package stands alone: it imports nothing of rapace, so that annotated interfaces, the annotation processor
 * and the generator can depend on it without pulling in the runtime. Every annotation has {@code RUNTIME} retention.
 */
package io.rapace.annotation;
