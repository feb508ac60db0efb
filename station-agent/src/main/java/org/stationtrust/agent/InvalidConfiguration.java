package org.stationtrust.agent;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} names every bad key with what was expected and seen. */
public final class InvalidConfiguration extends Exception {
    private static final long serialVersionUID = 1L;

    /** One bad key: its YAML name (dotted) and what is wrong with it. */
    public record Problem(String key, String message) {
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public InvalidConfiguration(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid configuration (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "); fix each key in agent.yaml or its STATION_AGENT_* variable:");
        for (Problem p : problems) sb.append("\n  - ").append(p);
        return sb.toString();
    }
}
