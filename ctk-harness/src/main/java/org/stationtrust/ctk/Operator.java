package org.stationtrust.ctk;

/**
 * The person (or, in tests, the script) who does what the harness cannot: present a finger, make
 * the device busy, rotate its key. Each method returns false when the operator declines, which skips
 * the case.
 */
public interface Operator {

    /** Before the case: carry out its human steps. */
    boolean prepare(TestCase testCase);

    /**
     * In the middle of a case: {@code step} says what to do now (rotate the key, next person).
     * {@code round} counts from 1 for repeated steps.
     */
    boolean midway(TestCase testCase, String step, int round);

    /** After the case: put the device back as it was (reconnect, release, register). */
    void restore(TestCase testCase);

    /** An operator for automated rigs and simulators: steps are only logged. */
    static Operator automatic() {
        return new Operator() {
            @Override
            public boolean prepare(TestCase testCase) {
                return true;
            }

            @Override
            public boolean midway(TestCase testCase, String step, int round) {
                return true;
            }

            @Override
            public void restore(TestCase testCase) {
            }
        };
    }
}
