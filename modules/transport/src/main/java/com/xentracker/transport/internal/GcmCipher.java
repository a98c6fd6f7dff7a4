package com.xentracker.transport.internal;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-GCM as a JCA cipher around Bouncy Castle's lightweight {@link GCMBlockCipher}, for the content of sealed
 * batches ({@link EnvelopeAlgorithms}).
 *
 * <p>Why not the JDK's AES-GCM: CMS's AuthEnvelopedData feeds the authenticated attributes (AAD) after the content,
 * which the JDK's cipher refuses. Why not Bouncy Castle's JCA cipher: it builds Bouncy Castle's full provider
 * (≈ 18 MiB in the agent) through its helper. Bouncy Castle's GCM engine takes AAD at any time before the tag.
 *
 * <p>Only what the envelope needs: AES-128/192/256 keys, tags of 96 to 128 bits, nonces of at least 12 bytes, a fresh
 * random 12-byte nonce when encrypting without parameters. A tag that does not verify is an
 * {@link AEADBadTagException} and no plaintext is returned.
 */
final class GcmCipher extends CipherSpi {

    private static final int NONCE_BYTES = 12;
    private static final int DEFAULT_TAG_BITS = 128;

    private GCMModeCipher gcm;
    private byte[] nonce;
    private int tagBits;

    /** Made by {@link EnvelopeAlgorithms}' service, without reflection (the package is not exported). */
    GcmCipher() {}

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!mode.toUpperCase(Locale.ROOT).equals("GCM")) {
            throw new NoSuchAlgorithmException("only GCM, not " + mode);
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!padding.toUpperCase(Locale.ROOT).equals("NOPADDING")) {
            throw new NoSuchPaddingException("only NoPadding, not " + padding);
        }
    }

    @Override
    protected int engineGetBlockSize() {
        return 16;
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        return gcm == null ? inputLen + DEFAULT_TAG_BITS / 8 : gcm.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
        return nonce == null ? null : nonce.clone();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (nonce == null) {
            return null;
        }
        try {
            // the JDK's GCM parameters: the ASN.1 GCMParameters (nonce, tag length) CMS writes
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("GCM");
            parameters.init(new GCMParameterSpec(tagBits, nonce));
            return parameters;
        } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
            throw new IllegalStateException("the JDK lacks GCM parameters", e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        if (opmode != Cipher.ENCRYPT_MODE) {
            throw new InvalidKeyException("decryption needs the nonce and tag length (GCMParameterSpec)");
        }
        byte[] fresh = new byte[NONCE_BYTES];
        (random != null ? random : Crypto.random()).nextBytes(fresh);
        start(opmode, key, DEFAULT_TAG_BITS, fresh);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params == null) {
            engineInit(opmode, key, random);
            return;
        }
        if (!(params instanceof GCMParameterSpec spec)) {
            throw new InvalidAlgorithmParameterException("GCMParameterSpec expected, not " + params.getClass());
        }
        if (spec.getTLen() < 96 || spec.getTLen() > 128 || spec.getTLen() % 8 != 0
                || spec.getIV().length < NONCE_BYTES) {
            throw new InvalidAlgorithmParameterException("a tag of 96 to 128 bits and a nonce of at least 12 bytes"
                    + " are required");
        }
        start(opmode, key, spec.getTLen(), spec.getIV());
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        try {
            engineInit(opmode, key, params == null ? null : params.getParameterSpec(GCMParameterSpec.class), random);
        } catch (InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException("not GCM parameters", e);
        }
    }

    private void start(int opmode, Key key, int tagLength, byte[] iv) throws InvalidKeyException {
        if (opmode != Cipher.ENCRYPT_MODE && opmode != Cipher.DECRYPT_MODE) {
            throw new InvalidKeyException("only encryption and decryption");
        }
        byte[] raw = key == null ? null : key.getEncoded();
        if (raw == null || (raw.length != 16 && raw.length != 24 && raw.length != 32)) {
            throw new InvalidKeyException("an AES key of 128, 192 or 256 bits is required");
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        try {
            cipher.init(opmode == Cipher.ENCRYPT_MODE, new AEADParameters(new KeyParameter(raw), tagLength,
                    iv.clone()));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        gcm = cipher;
        nonce = iv.clone();
        tagBits = tagLength;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        initialized().processAADBytes(src, offset, len);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        byte[] out = new byte[initialized().getUpdateOutputSize(inputLen)];
        int written = gcm.processBytes(input, inputOffset, inputLen, out, 0);
        return written == out.length ? out : Arrays.copyOf(out, written);
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException {
        try {
            return initialized().processBytes(input, inputOffset, inputLen, output, outputOffset);
        } catch (DataLengthException e) {
            throw new ShortBufferException(e.getMessage());
        }
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        byte[] out = new byte[initialized().getOutputSize(inputLen)];
        try {
            int written = engineDoFinal(input, inputOffset, inputLen, out, 0);
            return written == out.length ? out : Arrays.copyOf(out, written);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("the output size was computed for this input", e);
        }
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        GCMModeCipher cipher = initialized();
        try {
            int written = input == null || inputLen == 0 ? 0
                    : cipher.processBytes(input, inputOffset, inputLen, output, outputOffset);
            return written + cipher.doFinal(output, outputOffset + written);
        } catch (InvalidCipherTextException e) {
            AEADBadTagException bad = new AEADBadTagException("the GCM tag does not verify");
            bad.initCause(e);
            throw bad;
        } catch (DataLengthException e) {
            throw new ShortBufferException(e.getMessage());
        } finally {
            // a GCM cipher is used once per nonce: the next use must be initialized again
            gcm = null;
        }
    }

    private GCMModeCipher initialized() {
        if (gcm == null) {
            throw new IllegalStateException("the cipher is not initialized");
        }
        return gcm;
    }
}
