package org.stationtrust.tpm.verify;

/** The asymmetric key types this package understands (TPMI_ALG_PUBLIC RSA and ECC). */
public enum KeyType {
    RSA,
    ECC
}
