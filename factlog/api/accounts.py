"""Users and tokens over the API: admins manage users; every user lists and revokes their own tokens."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import RAISE, Schema, fields, validate

from factlog.accounts import tokens as token_store
from factlog.accounts import users as user_store
from factlog.accounts.tables import ROLES
from factlog.api.auth import SECURITY, current_grant, requires
from factlog.api.blueprint import Blueprint
from factlog.database import get_session
from factlog.fields import text

blp = Blueprint("accounts", __name__, url_prefix="/api/v1",
                description="Users (admins only) and API tokens (your own; admins: everyone's).")


class NewUserSchema(Schema):
    class Meta:
        unknown = RAISE

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = text(200, required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(load_default=None, allow_none=True, load_only=True,
                             validate=validate.Length(min=user_store.MIN_PASSWORD_LENGTH, max=200),
                             metadata={"description": "Omit for an API-only user who cannot log in."})


class UserOut(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()


class TokenOut(Schema):
    id = fields.Integer()
    user_email = fields.String()
    name = fields.String()
    scope = fields.String()
    prefix = fields.String(metadata={"description": "The token's first characters, to tell it apart."})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


@blp.route("/users")
class Users(MethodView):
    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.response(200, UserOut(many=True))
    @blp.alt_response(403, schema="Problem")
    def get(self):
        """Every active user."""
        return user_store.list_users(get_session())

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(NewUserSchema)
    @blp.response(201, UserOut)
    @blp.alt_response(403, schema="Problem")
    @blp.alt_response(409, schema="Problem", description="A user with this email exists.")
    def post(self, body: dict):
        """Create a user with a role: editor, fact_checker or admin."""
        session = get_session()
        if user_store.find_user(session, body["email"]) is not None:
            abort(409, message=f"a user with email {body['email'].lower()} already exists")
        try:
            user = user_store.create_user(session, body["email"], body["name"], body["role"], body["password"])
        except user_store.AccountError as error:
            abort(422, message=str(error))
        session.commit()
        return user


@blp.route("/tokens")
class Tokens(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.response(200, TokenOut(many=True))
    def get(self):
        """Your tokens (an admin sees everyone's); never their secrets."""
        grant = current_grant()
        email = None if grant.user.can("admin") else grant.user.email
        return token_store.list_tokens(get_session(), email)


@blp.route("/tokens/<int:token_id>")
class Token(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem")
    def delete(self, token_id: int):
        """Revoke a token at once (your own; an admin may revoke any)."""
        grant, session = current_grant(), get_session()
        if token_id > 2**31 - 1:
            abort(404, message=f"no live token {token_id} of yours")
        owned = {token.id for token in token_store.list_tokens(
            session, None if grant.user.can("admin") else grant.user.email) if token.revoked_at is None}
        if token_id not in owned:
            abort(404, message=f"no live token {token_id} of yours")
        token_store.revoke_token(session, token_id)
        session.commit()
