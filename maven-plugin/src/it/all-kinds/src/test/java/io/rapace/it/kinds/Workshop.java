package io.rapace.it.kinds;

import io.rapace.it.kinds.model.Everything;
import io.rapace.it.kinds.model.Stats;
import io.rapace.it.kinds.shapes.Color;
import io.rapace.it.kinds.shapes.Point;
import io.rapace.it.kinds.shapes.Shape;
import io.rapace.rpc.RpcStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The user's implementation of the generated interface. */
final class Workshop implements Toolbox {

    private final AtomicLong resets = new AtomicLong();

    @Override
    public Everything echo(Everything request) {
        return request;
    }

    @Override
    public double area(Shape shape, double scale) {
        return areaOf(shape) * scale * scale;
    }

    static double areaOf(Shape shape) {
        if (shape instanceof Shape.Circle circle) {
            return Math.PI * circle.radius() * circle.radius();
        }
        if (shape instanceof Shape.Polygon polygon) {
            List<Point> corners = polygon.corners();
            double twice = 0;
            for (int i = 0; i < corners.size(); i++) {
                Point a = corners.get(i);
                Point b = corners.get((i + 1) % corners.size());
                twice += a.x() * b.y() - b.x() * a.y();
            }
            return Math.abs(twice) / 2;
        }
        return 0;
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
    }

    @Override
    public long resets() {
        return resets.get();
    }

    @Override
    public Stats total(RpcStream<Long> requests) {
        int count = 0;
        long sum = 0;
        for (long n : requests) {
            count++;
            sum += n;
        }
        return new Stats(count, sum);
    }

    @Override
    public RpcStream<Integer> countTo(int limit) {
        return RpcStream.generate(out -> {
            for (int i = 1; Integer.compareUnsigned(i, limit) <= 0; i++) {
                out.send(i);
            }
        });
    }

    @Override
    public RpcStream<Color> paint(RpcStream<Shape> requests) {
        return RpcStream.generate(out -> {
            for (Shape shape : requests) {
                if (shape instanceof Shape.Circle) {
                    out.send(Color.RED);
                } else if (shape instanceof Shape.Polygon polygon) {
                    out.send(polygon.corners().size() == 3 ? Color.GREEN : Color.BLUE);
                } else {
                    out.send(Color.DEEP_SKY_BLUE);
                }
            }
        });
    }
}
