package com.xentracker.collector.probe.x11;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code XScreenSaverInfo} from {@code <X11/extensions/scrnsaver.h>}. Public only because JNA instantiates and
 * fills it reflectively; the package is not exported.
 */
@FieldOrder({"window", "state", "kind", "til_or_since", "idle", "eventMask"})
public final class XScreenSaverInfo extends Structure {
    /** Window (an XID, C {@code unsigned long}). */
    public NativeLong window;
    /** ScreenSaverOff 0, ScreenSaverOn 1, ScreenSaverCycle 2 (on, cycling), ScreenSaverDisabled 3. */
    public int state;
    public int kind;
    public NativeLong til_or_since;
    /** Milliseconds since the last input. */
    public NativeLong idle;
    public NativeLong eventMask;
}
