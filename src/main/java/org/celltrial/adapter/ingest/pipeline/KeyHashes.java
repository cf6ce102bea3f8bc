package org.celltrial.adapter.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of 128-bit hashes of strings, with a payload (a long) per hash, in two flat arrays: what the streamed ingest
 * keeps per row instead of the row (a record key for the duplicate check, a produced resource for retirement), 24
 * bytes an entry at most half full. Adding a hash already present keeps the first payload and remembers both in
 * {@link #repeats()}; a repeat is only a candidate, which the caller verifies against the real values (two different
 * strings sharing 128 bits are as likely as two records sharing their SHA-256, which the store relies on anyway).
 */
final class KeyHashes {

    private long[] hi = new long[2048];
    private long[] lo = new long[2048];
    private long[] payload = new long[2048];
    private int size;
    private final Map<Integer, List<Long>> repeats = new LinkedHashMap<>();
    private final Map<Long, Integer> repeatIds = new java.util.HashMap<>();

    /** Adds {@code key} with {@code payloadValue}; returns false if its hash was present already. */
    boolean add(String key, long payloadValue) {
        long h1 = fnv(key);
        long h2 = poly(key) | 1; // never 0: 0 marks an empty slot
        if (size * 2 >= hi.length) {
            grow();
        }
        int slot = find(h1, h2);
        if (lo[slot] != 0) {
            Integer id = repeatIds.computeIfAbsent(payload[slot], p -> {
                int next = repeats.size();
                repeats.put(next, new ArrayList<>(List.of(p)));
                return next;
            });
            repeats.get(id).add(payloadValue);
            return false;
        }
        hi[slot] = h1;
        lo[slot] = h2;
        payload[slot] = payloadValue;
        size++;
        return true;
    }

    /** Adds {@code key} without a payload, remembering no repeats (a set of resources many records produced). */
    void add(String key) {
        long h1 = fnv(key);
        long h2 = poly(key) | 1;
        if (size * 2 >= hi.length) {
            grow();
        }
        int slot = find(h1, h2);
        if (lo[slot] == 0) {
            hi[slot] = h1;
            lo[slot] = h2;
            size++;
        }
    }

    boolean contains(String key) {
        long h1 = fnv(key);
        long h2 = poly(key) | 1;
        return lo[find(h1, h2)] != 0;
    }

    int size() {
        return size;
    }

    /** The payloads of each hash added more than once, the first one first. */
    List<List<Long>> repeats() {
        return new ArrayList<>(repeats.values());
    }

    private int find(long h1, long h2) {
        int mask = hi.length - 1;
        int slot = (int) (h1 ^ (h1 >>> 32)) & mask;
        while (lo[slot] != 0 && (lo[slot] != h2 || hi[slot] != h1)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldHi = hi;
        long[] oldLo = lo;
        long[] oldPayload = payload;
        hi = new long[oldHi.length * 2];
        lo = new long[oldHi.length * 2];
        payload = new long[oldHi.length * 2];
        for (int i = 0; i < oldHi.length; i++) {
            if (oldLo[i] != 0) {
                int slot = find(oldHi[i], oldLo[i]);
                hi[slot] = oldHi[i];
                lo[slot] = oldLo[i];
                payload[slot] = oldPayload[i];
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes, then mixed (murmur3's finalizer) so that the low bits, the slot, spread. */
    private static long fnv(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** A second, differently built hash (a polynomial over the chars), so the two halves do not collide together. */
    private static long poly(String key) {
        long h = key.length();
        for (int i = 0; i < key.length(); i++) {
            h = h * 0x9E3779B97F4A7C15L + key.charAt(i);
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a85ebL;
        h ^= h >>> 33;
        return h;
    }
}
