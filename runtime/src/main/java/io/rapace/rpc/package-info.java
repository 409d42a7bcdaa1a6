/**
 * The call API that generated code targets, and the in-process transport.
 *
 * <p>Callers: a generated {@code FooClient} implements {@code Foo} over a {@link io.rapace.rpc.CallChannel}, one
 * method per call shape, with {@link io.rapace.rpc.CallOptions} (deadline as a budget, metadata). Implementations: a
 * generated {@code FooDispatcher} is a {@link io.rapace.rpc.ServiceDispatcher} listing one
 * {@link io.rapace.rpc.ServerMethod} per method; a handler reaches its call through
 * {@link io.rapace.rpc.CallContext#current()}. Streams are {@link io.rapace.rpc.RpcStream} in signatures, the same
 * type for callers and implementations, and {@link io.rapace.rpc.StreamSender} for producers. Failures are
 * {@link io.rapace.rpc.RpcException} with an {@link io.rapace.rpc.ErrorCode} in rapace's numbering. A generated
 * client passes one {@link io.rapace.rpc.RpcMethod} constant per method to the channel.
 *
 * <p>Interceptors sit at the boundary every transport shares: {@link io.rapace.rpc.ClientInterceptors} puts
 * {@link io.rapace.rpc.ClientInterceptor}s in front of any {@code CallChannel}, and
 * {@link io.rapace.rpc.ServerInterceptors} puts {@link io.rapace.rpc.ServerInterceptor}s in front of any
 * {@code ServiceDispatcher}, so they run the same over every transport.
 *
 * <p>The call engine lives here, because streams and server methods keep their transport side package-private: the
 * package-private {@code CallEngine} and its parts ({@code CallerSide}, {@code ServerSide}, {@code CallStreams},
 * {@code CallFrames}, {@code CallLimits}, {@code Deadlines}, {@code ControlVerbs}) do everything about calls over a
 * {@code io.rapace.session.FrameTransport}. {@link io.rapace.rpc.RpcSession} is the facade over a shared-memory
 * session; {@link io.rapace.rpc.Loopback} runs two engines over the package-private {@code InMemoryTransport} pair.
 * Nothing in the API assumes one process: messages cross as postcard bytes, deadlines as remaining budgets, peers by
 * identity.
 *
 * <p>Imports: {@code io.rapace.codec}, {@code io.rapace.annotation}, {@code io.rapace.config} (the settings and
 * limits its builders take), and the layers below, {@code io.rapace.shm} and {@code io.rapace.session}, which are not
 * exported: no public method here hands out a session, a segment or a frame. {@code io.rapace.registry}, which sits
 * beside this package, only in {@code ControlVerbs} (the channel-0 verbs answer from registry entries), in
 * {@code SchemaCheck} (the schema fingerprints of a session's methods) and in
 * {@code RpcSession}'s introspection methods that return them.
 */
package io.rapace.rpc;
