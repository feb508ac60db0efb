package org.stationtrust.tpm;

/**
 * The TPM rejected a command with a response code. The message names the command and the code
 * (e.g. {@code TPM_RC_LOCKOUT}) and says what to do; subclasses exist for the codes a caller can
 * act on.
 */
public class TpmCommandFailed extends TpmException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final int responseCode;
    private final String codeName;

    public TpmCommandFailed(String command, int responseCode, String codeName, String message) {
        super(message);
        this.command = command;
        this.responseCode = responseCode;
        this.codeName = codeName;
    }

    /** The TPM command that failed, e.g. {@code TPM2_Sign}. */
    public String command() {
        return command;
    }

    /** The raw 32-bit response code. */
    public int responseCode() {
        return responseCode;
    }

    /** The response code's name without handle/parameter number, e.g. {@code TPM_RC_LOCKOUT}. */
    public String codeName() {
        return codeName;
    }
}
