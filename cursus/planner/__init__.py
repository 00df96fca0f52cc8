"""Plan a learner's path to a diploma through real offerings, at their own pace."""
