package io.rapace.samples.echo;

import io.rapace.rpc.RpcStream;
import java.util.ArrayList;
import java.util.List;

/** The implementation the dispatcher calls. */
public final class EchoService implements Echo {

    @Override
    public String echo(String text) {
        return text;
    }

    @Override
    public RpcStream<String> repeat(String text, int times) {
        List<String> copies = new ArrayList<>();
        for (long i = 0; i < Integer.toUnsignedLong(times); i++) {
            copies.add(text);
        }
        return RpcStream.from(copies);
    }
}
