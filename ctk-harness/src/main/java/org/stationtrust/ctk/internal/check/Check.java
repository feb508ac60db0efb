package org.stationtrust.ctk.internal.check;

/** One concern judged over everything a case observed. Implementations are stateless. */
public interface Check {
    /** The name the catalogue uses in a case's "validators" list. */
    String name();

    Finding judge(Observation observation, JudgingRules rules);
}
