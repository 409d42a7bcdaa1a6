package io.rapace.samples.echo;

import io.rapace.rpc.RpcStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    @Override
    public long count(RpcStream<String> texts) {
        long count = 0;
        for (String ignored : texts) {
            count++;
        }
        return count;
    }

    @Override
    public RpcStream<String> shout(RpcStream<String> texts) {
        return RpcStream.generate(out -> {
            for (String text : texts) {
                out.send(text.toUpperCase(Locale.ROOT));
            }
        });
    }
}
