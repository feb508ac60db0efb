package org.stationtrust.sbi.simulator.internal;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;

/** What an operator (or a test, through the admin endpoint) can change while the device runs. */
public final class DeviceState {
    private static final int REMEMBERED_TRANSACTIONS = 10_000;

    private volatile DeviceStatus status;
    private volatile FaultMode fault;
    private volatile int quality;
    private volatile boolean biometricPresented;
    private volatile X509Certificate encryptionCertificate;
    private final AtomicBoolean capturing = new AtomicBoolean();
    private final Map<Integer, AtomicLong> completedCaptures = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Boolean> usedTransactionIds = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TRANSACTIONS;
        }
    };

    public DeviceState(DeviceStatus status, FaultMode fault, int quality, boolean biometricPresented,
                       X509Certificate encryptionCertificate) {
        setStatus(status);
        setFault(fault);
        setQuality(quality);
        this.biometricPresented = biometricPresented;
        setEncryptionCertificate(encryptionCertificate);
    }

    public DeviceStatus status() { return status; }

    /**
     * The status discovery and info report: a Ready device says Busy while a capture holds the sensor
     * (SBI 0.9.5 §Capture: "in case of a parallel call, the device info details are sent with the status Busy").
     */
    public DeviceStatus reportedStatus() {
        DeviceStatus s = status;
        return s == DeviceStatus.READY && capturing.get() ? DeviceStatus.BUSY : s;
    }
    public FaultMode fault() { return fault; }
    public int quality() { return quality; }
    public boolean biometricPresented() { return biometricPresented; }
    public X509Certificate encryptionCertificate() { return encryptionCertificate; }

    public void setStatus(DeviceStatus status) { this.status = Objects.requireNonNull(status, "status"); }
    public void setFault(FaultMode fault) { this.fault = Objects.requireNonNull(fault, "fault"); }
    public void setBiometricPresented(boolean presented) { this.biometricPresented = presented; }
    /** SBI 0.9.5 encrypts the session key with RSA-OAEP, so only an RSA certificate (or none) fits. */
    public void setEncryptionCertificate(X509Certificate certificate) {
        if (certificate != null && !"RSA".equals(certificate.getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("the encryption certificate must hold an RSA key (RSA-OAEP session key),"
                    + " it holds " + certificate.getPublicKey().getAlgorithm());
        }
        this.encryptionCertificate = certificate;
    }

    public void setQuality(int quality) {
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("quality must be 0-100, was " + quality);
        }
        this.quality = quality;
    }

    /** Claims the sensor for one capture; false if another capture holds it (SBI: answer Busy). */
    public boolean startCapture() {
        return capturing.compareAndSet(false, true);
    }

    public void endCapture(int deviceSubId) {
        completedCaptures.computeIfAbsent(deviceSubId, k -> new AtomicLong()).incrementAndGet();
        capturing.set(false);
    }

    /** How many captures have completed on a deviceSubId (a stream ends when this moves). */
    public long completedCaptures(int deviceSubId) {
        return completedCaptures.computeIfAbsent(deviceSubId, k -> new AtomicLong()).get();
    }

    /** Records a transactionId; false if it was seen before (SBI: error 112). */
    public boolean firstUseOf(String transactionId) {
        synchronized (usedTransactionIds) {
            return usedTransactionIds.put(transactionId, Boolean.TRUE) == null;
        }
    }

    public void markClosed() {
        closed.countDown();
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Sleeps up to {@code millis}; returns early (true) when the device is closed. */
    public boolean sleepUnlessClosed(long millis) {
        try {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
