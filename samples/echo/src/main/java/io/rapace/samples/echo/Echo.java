package io.rapace.samples.echo;

import io.rapace.annotation.RapaceService;
import io.rapace.annotation.Unsigned;
import io.rapace.rpc.RpcStream;

/** Says back what it is told. The processor generates {@code EchoClient}, {@code EchoDispatcher}, {@code EchoDescriptor}. */
@RapaceService(name = "rapace.samples.Echo")
public interface Echo {

    /** The request, unchanged. */
    String echo(String text);

    /** The request {@code times} times, one stream element each. */
    RpcStream<String> repeat(String text, @Unsigned int times);

    /** How many texts were sent. */
    @Unsigned long count(RpcStream<String> texts);

    /** Each text upper-cased, answered as it arrives. */
    RpcStream<String> shout(RpcStream<String> texts);
}
