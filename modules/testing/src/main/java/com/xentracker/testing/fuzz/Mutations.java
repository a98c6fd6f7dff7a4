package com.xentracker.testing.fuzz;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Byte-level mutations of valid inputs: what a fuzzer does to its seed corpus. */
public final class Mutations {

    private Mutations() {
    }

    /** One edit of a byte array. */
    private record Edit(int kind, int position, int value, int length) {
        byte[] apply(byte[] input) {
            if (input.length == 0) {
                return new byte[] {(byte) value};
            }
            int at = Math.floorMod(position, input.length);
            byte[] out;
            switch (kind) {
                case 0 -> { // flip one bit
                    out = input.clone();
                    out[at] ^= (byte) (1 << (value & 7));
                }
                case 1 -> { // set a byte (0x00, 0xff, 0x80 and the ASN.1 tags come up as edge cases)
                    out = input.clone();
                    out[at] = (byte) value;
                }
                case 2 -> { // insert a byte
                    out = new byte[input.length + 1];
                    System.arraycopy(input, 0, out, 0, at);
                    out[at] = (byte) value;
                    System.arraycopy(input, at, out, at + 1, input.length - at);
                }
                case 3 -> { // delete a run
                    int n = Math.min(length, input.length - at);
                    out = new byte[input.length - n];
                    System.arraycopy(input, 0, out, 0, at);
                    System.arraycopy(input, at + n, out, at, input.length - at - n);
                }
                case 4 -> out = java.util.Arrays.copyOf(input, at); // truncate
                default -> { // duplicate a run
                    int n = Math.min(length, input.length - at);
                    out = new byte[input.length + n];
                    System.arraycopy(input, 0, out, 0, at + n);
                    System.arraycopy(input, at, out, at + n, input.length - at);
                }
            }
            return out;
        }
    }

    /** One to {@code maxEdits} edits applied to {@code seed}. */
    public static Arbitrary<byte[]> of(byte[] seed, int maxEdits) {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(1, 64)).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(maxEdits).map(edits -> {
            byte[] out = seed;
            for (Edit e : edits) {
                out = e.apply(out);
            }
            return out;
        });
    }

    /** Any of the seeds, mutated. */
    public static Arbitrary<byte[]> ofAny(List<byte[]> seeds, int maxEdits) {
        List<Arbitrary<byte[]>> each = new ArrayList<>();
        for (byte[] seed : seeds) {
            each.add(of(seed, maxEdits));
        }
        return Arbitraries.oneOf(each);
    }
}
