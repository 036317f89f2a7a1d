package dev.dropstream.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's memory for the whole instance, not per store: every store shares one block cache and
 * one write-buffer manager charged to it, sized by {@value #MEMORY_BYTES} (default 256 MiB). Index and
 * filter blocks live in the cache too, so the bound holds however many stores and partitions a
 * rebalance brings.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Total bytes for all RocksDB stores of this instance. */
    public static final String MEMORY_BYTES = "dropstream.rocksdb.memory.bytes";
    static final long DEFAULT_MEMORY_BYTES = 256L << 20;
    /** Share of the memory that memtables may take. */
    private static final double WRITE_BUFFER_SHARE = 0.25;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long configuredBytes;

    /** The shared cache and manager, made once per JVM from the first store's configuration. */
    private static synchronized void ensure(long bytes) {
        if (cache == null) {
            configuredBytes = bytes;
            cache = new LRUCache(bytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        }
    }

    static synchronized long configuredBytes() {
        return configuredBytes;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object v = configs.get(MEMORY_BYTES);
        long bytes = v == null ? DEFAULT_MEMORY_BYTES : Long.parseLong(v.toString().strip());
        ensure(bytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the manager are shared by every store of the JVM: closing one store must not free them.
    }
}
