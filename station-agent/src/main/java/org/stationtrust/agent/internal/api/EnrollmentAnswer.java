package org.stationtrust.agent.internal.api;

/** {@code POST /v1/enrollment}: the machine id the server gave and the phase the enrollment reached. */
public record EnrollmentAnswer(String machineId, String enrollment) {
}
