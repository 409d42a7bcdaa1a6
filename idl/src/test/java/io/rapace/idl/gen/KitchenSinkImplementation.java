package io.rapace.idl.gen;

import io.rapace.rpc.RpcStream;
import io.rapace.sink.Composites;
import io.rapace.sink.Empty;
import io.rapace.sink.KitchenSink;
import io.rapace.sink.Keywords;
import io.rapace.sink.LogLevel;
import io.rapace.sink.Message;
import io.rapace.sink.Shadows;
import io.rapace.sink.Shape;
import io.rapace.sink.Tricky;
import io.rapace.sink.types.Color;
import io.rapace.sink.types.Expr;
import io.rapace.sink.types.Scalars;
import io.rapace.sink.types.Tree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An implementation of the generated kitchen-sink service whose every answer is computed from the request, so a
 * test over the loopback can tell that the request arrived whole and the answer came back whole. Methods without a
 * result record what they were given.
 */
final class KitchenSinkImplementation implements KitchenSink {
    final AtomicInteger pings = new AtomicInteger();
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public void ping() {
        pings.incrementAndGet();
    }

    @Override
    public long mathAdd(long a, long b) {
        return a + b;
    }

    @Override
    public Scalars scalars(Scalars request) {
        return request;
    }

    @Override
    public Composites composites(Composites request) {
        return request;
    }

    @Override
    public Keywords keywords(String class_, int default_, byte channel, String options) {
        return new Keywords(class_ + options, default_ + 1, channel, default_ < 0, options, channel, -default_);
    }

    @Override
    public Shadows shadows(Shadows request) {
        return new Shadows(request.Arrays(), request.Objects() + "!", request.in() + 1, request.out() + 1);
    }

    @Override
    public Tricky tricky(Tricky request) {
        return new Tricky(request.text() + " */");
    }

    @Override
    public Empty empty(Empty request) {
        return request;
    }

    @Override
    public Shape shape(Shape request) {
        return request;
    }

    @Override
    public Color color(Color request) {
        Color[] colors = Color.values();
        return colors[(request.ordinal() + 1) % colors.length];
    }

    @Override
    public long evaluate(Expr request) {
        if (request instanceof Expr.Literal literal) {
            return literal.value();
        } else if (request instanceof Expr.Sum sum) {
            return evaluate(sum.left()) + evaluate(sum.right());
        } else {
            return -evaluate(((Expr.Negate) request).operand());
        }
    }

    @Override
    public Optional<Tree> tree(Tree request) {
        return request.children().isEmpty() ? Optional.empty() : Optional.of(request.children().get(0));
    }

    @Override
    public BigInteger big(BigInteger request) {
        return request.negate().shiftRight(1);
    }

    @Override
    public List<Integer> letters(int request) {
        return List.of(request, request + 1);
    }

    @Override
    public byte[][] fixed(int[] request) {
        return new byte[][] {{(byte) request[0], (byte) request[1]}, {(byte) request[2], (byte) -1}};
    }

    @Override
    public Map<String, byte[]> lookup(List<String> keys, Map<String, Optional<byte[]>> table) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (String key : keys) {
            Optional<byte[]> value = table.getOrDefault(key, Optional.empty());
            value.ifPresent(bytes -> found.put(key, bytes));
        }
        return found;
    }

    @Override
    public Message message(Message request) {
        return request;
    }

    @Override
    public void log(LogLevel level, String message) {
        received.add("log " + level + " " + message);
    }

    @Override
    public void import_(String request) {
        received.add("import " + request);
    }

    @Override
    public long upload(RpcStream<byte[]> requests) {
        long total = 0;
        for (byte[] chunk : requests) {
            total += chunk.length;
        }
        return total;
    }

    @Override
    public void drain(RpcStream<String> requests) {
        for (String text : requests) {
            received.add("drain " + text);
        }
    }

    @Override
    public RpcStream<Integer> count(int limit) {
        return RpcStream.generate(out -> {
            for (int i = 1; i <= limit; i++) {
                out.send(i);
            }
        });
    }

    @Override
    public RpcStream<Shape> events() {
        return RpcStream.of(new Shape.Point(), new Shape.Circle(1.5), new Shape.class_());
    }

    @Override
    public RpcStream<String> repeat(String text, byte times) {
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < Byte.toUnsignedInt(times); i++) {
            copies.add(text);
        }
        return RpcStream.from(copies);
    }

    @Override
    public RpcStream<Message> echo(RpcStream<Message> requests) {
        return RpcStream.generate(out -> {
            for (Message message : requests) {
                out.send(message);
            }
        });
    }

    @Override
    public RpcStream<Optional<Long>> totals(RpcStream<Long> requests) {
        return RpcStream.generate(out -> {
            long total = 0;
            for (long n : requests) {
                total += n;
                out.send(total == 0 ? Optional.empty() : Optional.of(total));
            }
        });
    }
}
