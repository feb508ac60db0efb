package org.stationtrust.protocol;

/** Answer of {@code GET /api/v1/enrollments/{id}} and of the activation. */
public record EnrollmentStatus(String machineId, EnrollmentState state, boolean ekVerified) {
    public EnrollmentStatus {
        Fields.requireId("machineId", machineId);
        if (state == null) throw new IllegalArgumentException("Field 'state' is required");
    }
}
