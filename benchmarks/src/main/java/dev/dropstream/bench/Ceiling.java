package dev.dropstream.bench;

/**
 * The ceiling yardstick: the least work that still looks at every byte of a line the way a tokenising
 * parser must. One forward pass splits tokens at a space or {@code =}, folds the digits of each token
 * into a number, and mixes each finished number and the token count into a running value, which is
 * returned so that the pass cannot be optimised away. It branches per byte like a parser, but decides
 * nothing, validates nothing and creates nothing.
 */
final class Ceiling {
    private Ceiling() {
    }

    static long scan(byte[] b, int start, int end) {
        long acc = 0;
        long number = 0;
        int tokens = 0;
        for (int i = start; i < end; i++) {
            int c = b[i];
            if (c == ' ' || c == '=') {
                acc = acc * 31 + number;
                number = 0;
                tokens++;
            } else {
                int digit = c - '0';
                if (digit >= 0 && digit <= 9) {
                    number = number * 10 + digit;
                }
            }
        }
        return acc * 31 + number + tokens;
    }
}
