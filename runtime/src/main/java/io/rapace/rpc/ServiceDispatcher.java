package io.rapace.rpc;

import java.util.List;

/**
 * The server side of a service, as a transport sees it: its name and its methods, each a {@link ServerMethod}
 * (id, call shape, codecs and the handler). A generated {@code FooDispatcher} implements it by routing each method id
 * to an implementation of {@code Foo}; a transport routes incoming calls by method id, so two dispatchers served on
 * one transport must not share an id (an error when the second is registered).
 */
public interface ServiceDispatcher {

    /** The service's registry name, e.g. {@code rapace.HostServices}. */
    String serviceName();

    /** The methods served, in declaration order, with distinct ids. */
    List<ServerMethod<?, ?>> methods();
}
