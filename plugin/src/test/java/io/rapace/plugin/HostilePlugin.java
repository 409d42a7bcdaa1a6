package io.rapace.plugin;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * A plugin that attacks its own host: it maps the segment the host gave it (with the JDK alone, as any process that
 * can open the file could) and, from the moment its session is up, writes random bytes over every region of it at
 * full speed (the segment header, both ring headers and their descriptors, both slot pools' headers, free lists, slot
 * metadata and slots) while it serves {@link TestPlugin}'s operations. The seed is its config, so a round can be
 * replayed; a restart by the host starts the same sequence again. An odd seed writes over the frames alone
 * (descriptors and slots), one write every 200 us, so that the session lives on, some calls get through
 * whole and each bad frame fails only its own call.
 */
public final class HostilePlugin {
    private HostilePlugin() {
    }

    public static void main(String[] args) throws IOException {
        PluginMain.Arguments arguments = PluginMain.Arguments.parse(args);
        MappedByteBuffer segment;
        try (FileChannel file = FileChannel.open(arguments.segment(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            segment = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
        }
        segment.order(ByteOrder.LITTLE_ENDIAN);
        PluginMain.serve(args, host -> {
            TestPlugin plugin = new TestPlugin(host);
            return new io.rapace.plugin.api.Plugin() {
                @Override
                public void initialize(io.rapace.plugin.api.PluginConfig request) {
                    long seed = Long.parseLong(new String(request.configData(), java.nio.charset.StandardCharsets.UTF_8));
                    // an odd seed spares the structure (headers, positions, free lists): its damage is frames alone
                    boolean framesOnly = (seed & 1) == 1;
                    Thread writer = new Thread(() -> attack(segment, new Random(seed), framesOnly), "hostile-writer");
                    writer.setDaemon(true);
                    writer.start();
                }

                @Override
                public io.rapace.plugin.api.ProcessResponse process(io.rapace.plugin.api.ProcessRequest request) {
                    return plugin.process(request);
                }

                @Override
                public void shutdown() {
                    plugin.shutdown();
                }
            };
        });
    }

    /**
     * Random bytes at random places of a random region, without end: of every region at full speed, or with
     * {@code framesOnly} of the descriptors and slots alone, every 200 us.
     */
    static void attack(MappedByteBuffer segment, Random random, boolean framesOnly) {
        Regions regions = framesOnly ? Regions.of(segment).frames() : Regions.of(segment);
        byte[] bytes = new byte[64];
        while (true) {
            int[] region = regions.pick(random);
            int length = 1 + random.nextInt(Math.min(bytes.length, region[1]));
            int offset = region[0] + random.nextInt(region[1] - length + 1);
            random.nextBytes(bytes);
            segment.put(offset, bytes, 0, length);
            if (framesOnly) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // some frames get through whole
            }
        }
    }

    /** The regions of the segment, from its header's geometry and docs/segment-format.md's layout. */
    record Regions(int[][] all) {
        static Regions of(MappedByteBuffer segment) {
            int capacity = segment.getInt(48);
            int slots = segment.getInt(52);
            int slotSize = segment.getInt(56);
            int ring = 256 + 64 * capacity;
            int freeList = align64(4 * slots);
            int meta = align64(8 * slots);
            int pool = 192 + freeList + meta + slots * slotSize;
            java.util.List<int[]> regions = new java.util.ArrayList<>();
            regions.add(new int[] {0, 64}); // segment header
            for (int r = 0; r < 2; r++) {
                int at = 64 + r * ring;
                regions.add(new int[] {at, 256}); // ring header: positions, capacity, consumer_sleeping
                regions.add(new int[] {at + 256, 64 * capacity}); // descriptors
            }
            for (int p = 0; p < 2; p++) {
                int at = 64 + 2 * ring + p * pool;
                regions.add(new int[] {at, 192}); // slot pool header: free-list state
                regions.add(new int[] {at + 192, freeList}); // free list
                regions.add(new int[] {at + 192 + freeList, meta}); // slot metadata: generation, state
                regions.add(new int[] {at + 192 + freeList + meta, slots * slotSize}); // slots
            }
            return new Regions(regions.toArray(new int[0][]));
        }

        /** The descriptors and slots: what frames are made of, not the segment's structure nor the slots' state. */
        Regions frames() {
            return new Regions(new int[][] {all[2], all[4], all[8], all[12]});
        }

        int[] pick(Random random) {
            return all[random.nextInt(all.length)];
        }

        private static int align64(int n) {
            return (n + 63) & ~63;
        }
    }
}
