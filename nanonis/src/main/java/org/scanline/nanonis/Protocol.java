package org.scanline.nanonis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the Nanonis TCP programming interface, shared by the client and the simulated
 * server. Everything is big-endian. A request is a 40-byte header (command name zero-padded to 32
 * bytes, body size int32, "send response" uint16, two zero bytes) and a body; a response is a
 * 40-byte header (name, body size, four unused bytes) and a body that ends with the error section
 * (status uint32, description size int32, description). Layouts follow the "Nanonis TCP Protocol"
 * document of June 2024 (R13742), as published in SPECS' {@code nanonis_spm} repository.
 */
final class Protocol {
    static final int HEADER_BYTES = 40;
    static final int NAME_BYTES = 32;

    private Protocol() {
    }

    /**
     * @param command the command name, ASCII, at most 32 bytes
     * @param bodySize body size in bytes
     * @param sendResponse whether the server should answer
     * @return a request header
     */
    static byte[] requestHeader(String command, int bodySize, boolean sendResponse) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(nameBytes(command));
        b.putInt(bodySize);
        b.putShort((short) (sendResponse ? 1 : 0));
        b.putShort((short) 0);
        return b.array();
    }

    /**
     * @param command the command answered
     * @param bodySize body size in bytes
     * @return a response header (last four bytes zero)
     */
    static byte[] responseHeader(String command, int bodySize) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(nameBytes(command));
        b.putInt(bodySize);
        b.putInt(0);
        return b.array();
    }

    private static byte[] nameBytes(String command) {
        byte[] name = command.getBytes(StandardCharsets.US_ASCII);
        if (name.length > NAME_BYTES || !command.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a Nanonis command name is 1–32 printable ASCII characters, found '"
                    + command + "'");
        }
        byte[] padded = new byte[NAME_BYTES];
        System.arraycopy(name, 0, padded, 0, name.length);
        return padded;
    }

    /**
     * @param header a 40-byte header
     * @return the command name without its zero padding; non-printable bytes shown as {@code \xNN}
     */
    static String name(byte[] header) {
        int end = 0;
        while (end < NAME_BYTES && header[end] != 0) {
            end++;
        }
        StringBuilder s = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            int c = header[i] & 0xff;
            if (c >= 32 && c < 127) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.toString();
    }

    /** @return the body size field of a 40-byte header */
    static int bodySize(byte[] header) {
        return ByteBuffer.wrap(header, NAME_BYTES, 4).getInt();
    }

    /** @return the "send response" flag of a request header */
    static boolean sendResponse(byte[] header) {
        return ByteBuffer.wrap(header, NAME_BYTES + 4, 2).getShort() != 0;
    }
}
