/**
 * The service registry: a postcard-encodable model of every service ({@link io.rapace.registry.ServiceDescriptor},
 * with its {@link io.rapace.registry.MethodDescriptor methods} and the {@link io.rapace.registry.TypeSchema schemas}
 * of its types), the discovery of the generated descriptors on a class path and their listing in the seed's format
 * ({@link io.rapace.registry.ServiceRegistry}).
 *
 * <p>Generated {@code FooDescriptor} classes extend {@link io.rapace.registry.ServiceDescriptor} and are registered in
 * {@code META-INF/services/io.rapace.registry.ServiceDescriptor} (the class path) or by the user's
 * {@code provides io.rapace.registry.ServiceDescriptor with ...} (a named module; {@code docs/modules.md}).
 *
 * <p>Imports: {@code io.rapace.codec} and {@code io.rapace.annotation} only. This package sits beside
 * {@code io.rapace.rpc} and does not use it; the RPC layer's introspection verbs serve this model on channel 0.
 */
package io.rapace.registry;
