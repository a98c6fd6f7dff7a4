package com.xentracker.collector.policy;

/**
 * What this device's own configuration allows, on top of the organization's policy. A local setting can only
 * collect less than the policy, never more: the organization decides what is collected, the device can only refuse
 * some of it.
 *
 * @param windowTitles false to never store window titles on this device; true to store them where the policy
 *                     collects titles (it cannot turn titles on against the policy)
 */
public record LocalLimits(boolean windowTitles) {

    /** No local restriction: the organization's policy alone decides. */
    public static LocalLimits none() {
        return new LocalLimits(true);
    }
}
