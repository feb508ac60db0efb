package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/**
 * Credentials made by our software MakeCredential are activated by the TPM through
 * tpm2_activatecredential: RSA EK (OAEP seed) and ECC EK (ECDH + KDFe seed).
 */
@ExtendWith(SoftwareTpmExtension.class)
class Tpm2ToolsCredentialActivationTest {
    private static Tpm2Tools tools;

    @BeforeAll
    static void createKeys(SoftwareTpm tpm) throws Exception {
        tools = new Tpm2Tools(tpm, Files.createDirectories(tpm.workDirectory().resolve("tools")));
        tools.flush();
        for (String type : new String[] {"rsa", "ecc"}) {
            tools.run("tpm2_createek", "-c", type + "-ek.ctx", "-G", type, "-u", type + "-ek.pub");
            tools.run("tpm2_createak", "-C", type + "-ek.ctx", "-c", type + "-ak.ctx", "-G", "ecc", "-g", "sha256",
                    "-s", "ecdsa", "-u", type + "-ak.pub", "-n", type + "-ak.name", "-r", type + "-ak.priv");
            tools.flush();
        }
    }

    private static byte[] secret() {
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        return s;
    }

    /** tpm2-tools' credential file: magic 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET. */
    private static void writeCredentialFile(CredentialChallenge c) throws Exception {
        byte[] file = new TpmWriter().u32(0xBADCC0DEL).u32(1).sized(c.credentialBlob()).sized(c.encryptedSecret())
                .toByteArray();
        Files.write(tools.file("cred.bin"), file);
    }

    private static Tpm2Tools.Result activate(String type, CredentialChallenge c) throws Exception {
        writeCredentialFile(c);
        Files.deleteIfExists(tools.file("out.bin"));
        tools.flush();
        tools.run("tpm2_startauthsession", "--policy-session", "-S", "s.ctx");
        tools.run("tpm2_policysecret", "-S", "s.ctx", "-c", "e");
        Tpm2Tools.Result r = tools.tryRun("tpm2_activatecredential", "-c", type + "-ak.ctx", "-C", type + "-ek.ctx",
                "-i", "cred.bin", "-o", "out.bin", "-P", "session:s.ctx");
        tools.flush();
        return r;
    }

    @Test
    void theTpmActivatesACredentialMadeInSoftwareForItsRsaEk() throws Exception {
        TpmPublic ek = tools.readPublic("rsa-ek.pub");
        byte[] secret = secret();
        CredentialChallenge c = CredentialChallenge.make(ek, tools.read("rsa-ak.name"), secret);

        Tpm2Tools.Result r = activate("rsa", c);

        assertEquals(0, r.exitCode(), r.output());
        assertArrayEquals(secret, tools.read("out.bin"));
        assertEquals(256, c.encryptedSecret().length);
    }

    @Test
    void theTpmActivatesACredentialMadeInSoftwareForItsEccEk() throws Exception {
        TpmPublic ek = tools.readPublic("ecc-ek.pub");
        assertEquals(KeyType.ECC, ek.type());
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        CredentialChallenge c = CredentialChallenge.make(ek, tools.read("ecc-ak.name"), secret);

        Tpm2Tools.Result r = activate("ecc", c);

        assertEquals(0, r.exitCode(), r.output());
        assertArrayEquals(secret, tools.read("out.bin"));
    }

    @Test
    void theTpmActivatesACredentialForSwtpmsP384EkWithSha384AndAes256() throws Exception {
        tools.run("tpm2_readpublic", "-c", "0x81010016", "-o", "p384-ek.pub");
        tools.run("tpm2_createak", "-C", "0x81010016", "-c", "p384-ak.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa",
                "-u", "p384-ak.pub", "-n", "p384-ak.name", "-r", "p384-ak.priv");
        tools.flush();
        TpmPublic ek = tools.readPublic("p384-ek.pub");
        assertEquals(HashAlgorithm.SHA384, ek.nameAlg());
        assertEquals(new TpmPublic.Symmetric(true, 256), ek.symmetric());
        byte[] secret = secret();
        CredentialChallenge c = CredentialChallenge.make(ek, tools.read("p384-ak.name"), secret);

        writeCredentialFile(c);
        Files.deleteIfExists(tools.file("out.bin"));
        // the high-range EK template sets userWithAuth, so its (empty) password authorizes it
        Tpm2Tools.Result r = tools.tryRun("tpm2_activatecredential", "-c", "p384-ak.ctx", "-C", "0x81010016",
                "-i", "cred.bin", "-o", "out.bin");
        tools.flush();

        assertEquals(0, r.exitCode(), r.output());
        assertArrayEquals(secret, tools.read("out.bin"));
    }

    @Test
    void activationFailsWhenTheCredentialNamesAnotherAk() throws Exception {
        for (String type : new String[] {"rsa", "ecc"}) {
            byte[] otherName = tools.read(type + "-ak.name");
            otherName[5] ^= 1;
            CredentialChallenge c = CredentialChallenge.make(tools.readPublic(type + "-ek.pub"), otherName, secret());

            Tpm2Tools.Result r = activate(type, c);

            assertNotEquals(0, r.exitCode(), type + ": " + r.output());
            assertEquals(false, Files.exists(tools.file("out.bin")), type + ": no secret may come out");
        }
    }

    @Test
    void activationFailsOnAnotherEk() throws Exception {
        // made for the ECC EK but presented to the TPM with the RSA EK (and its own AK)
        CredentialChallenge c = CredentialChallenge.make(tools.readPublic("ecc-ek.pub"), tools.read("rsa-ak.name"),
                secret());

        Tpm2Tools.Result r = activate("rsa", c);

        assertNotEquals(0, r.exitCode(), r.output());
    }
}
