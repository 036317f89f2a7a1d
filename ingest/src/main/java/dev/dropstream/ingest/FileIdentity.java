package dev.dropstream.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Which file this is, whatever its name now: device and inode, plus a checksum of its first bytes so that a
 * recycled inode (a new file that got the number of a deleted one) is not mistaken for the old file.
 */
record FileIdentity(long device, long inode) {
    /** How many leading bytes the fingerprint covers at most. */
    static final int FINGERPRINT_BYTES = 256;

    static FileIdentity of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        return new FileIdentity(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
    }

    /** {@code <device>:<inode>} */
    String key() {
        return device + ":" + inode;
    }

    /** CRC32 of the first {@code length} bytes of the channel (read without moving its position). */
    static long fingerprint(FileChannel ch, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                break;
            }
        }
        return fingerprint(b.array(), b.position());
    }

    /** CRC32 of {@code bytes[0..length)}, the same fingerprint as of a file that starts with them. */
    static long fingerprint(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
