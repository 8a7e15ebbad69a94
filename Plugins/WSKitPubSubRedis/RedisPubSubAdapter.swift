import WSKitPubSub
import WSKitRedis
