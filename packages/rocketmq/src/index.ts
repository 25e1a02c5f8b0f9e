// @sluice/rocketmq: public exports are named here. The package is still empty; its issue fills it.
export {};
